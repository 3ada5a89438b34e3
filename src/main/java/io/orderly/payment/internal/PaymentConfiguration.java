package io.orderly.payment.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.AuthorizePayment;
import io.orderly.payment.CancelPayment;
import io.orderly.payment.CapturePayment;
import io.orderly.payment.RefundPayment;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("payment")
class PaymentConfiguration {

	/**
	 * The provider over HTTP, behind retry, bulkhead and circuit breaker, and never called inside
	 * a database transaction.
	 */
	@Bean
	PaymentProvider paymentProvider(PaymentProperties properties, Environment environment, JsonMapper json,
			MeterRegistry meters) {
		PaymentProperties.Psp psp = properties.psp();
		String baseUrl = psp.baseUrl() != null && !psp.baseUrl().isBlank() ? psp.baseUrl()
				: environment.getProperty("orderly.psp.base-url", "http://localhost:8090");
		PspCallMetrics metrics = new PspCallMetrics(meters);
		HttpPaymentProvider http = new HttpPaymentProvider(baseUrl, psp.account(), psp.connectTimeout(),
				psp.readTimeout(), json, metrics);
		return new OutsideTransactions(new ResilientPaymentProvider(http, psp, meters));
	}

	/**
	 * The payment commands, in partitions of orders applied in parallel (each order's commands
	 * in order). A command records what to ask the provider; the call is made after it commits.
	 */
	@Bean
	Subscription paymentCommands(AuthorizePaymentHandler authorize, CapturePaymentHandler capture,
			CancelPaymentHandler cancel, RefundCalls refunds, PaymentProperties properties) {
		return Subscription.named("payment")
			.on(AuthorizePayment.class, authorize::on)
			.on(CapturePayment.class, capture::on)
			.on(CancelPayment.class, cancel::on)
			.on(RefundPayment.class, refunds::on)
			.concurrency(properties.concurrency())
			.build();
	}
}
