package io.orderly.platform.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every endpoint marked {@link Retiring} says so in its answers' headers. */
@Configuration(proxyBeanMethods = false)
class RetirementConfiguration implements WebMvcConfigurer {

	private final RetirementHeaders headers = new RetirementHeaders();

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(headers);
	}

	/** A malformed date in an annotation fails the start rather than the endpoint's requests. */
	@EventListener
	void check(ContextRefreshedEvent refreshed) {
		refreshed.getApplicationContext()
			.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()
			.forEach(mapping -> mapping.getHandlerMethods().values().forEach(headers::retirementOf));
	}
}
