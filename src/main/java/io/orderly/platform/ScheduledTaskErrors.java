package io.orderly.platform;

import java.time.Duration;

import io.orderly.platform.db.DatabaseReachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ErrorHandler;

/**
 * Scheduled tasks (saga deadlines, click flushes, reconciliation, key rotation...) that fail
 * because the database gave no connection log one line a second between them, not a stack
 * trace each run: during an outage the operator reads what is wrong, once. Other failures are
 * logged with their stack trace, as Spring's scheduler does. Each task runs again on schedule.
 */
@Configuration(proxyBeanMethods = false)
class ScheduledTaskErrors {

	private static final Logger log = LoggerFactory.getLogger(ScheduledTaskErrors.class);

	private final LogEvery withoutDatabase = new LogEvery(Duration.ofSeconds(1));

	private final ErrorHandler handler = failure -> {
		if (!DatabaseReachability.isConnectionFailure(failure)) {
			log.error("Unexpected error occurred in scheduled task", failure);
			return;
		}
		long failures = withoutDatabase.occurred();
		if (failures > 0) {
			log.warn("{} scheduled task run(s) found no database connection in the last second; each runs again on "
					+ "schedule", failures);
		}
	};

	/** The scheduler with virtual threads (spring.threads.virtual.enabled, the default here). */
	@Bean
	SimpleAsyncTaskSchedulerCustomizer scheduledTaskErrorsOnVirtualThreads() {
		return scheduler -> scheduler.setErrorHandler(handler);
	}

	@Bean
	ThreadPoolTaskSchedulerCustomizer scheduledTaskErrorsOnAPool() {
		return scheduler -> scheduler.setErrorHandler(handler);
	}
}
