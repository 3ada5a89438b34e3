package io.orderly;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Orderly: every module of the platform in one process (the embedded deployment), or the
 * modules named by {@code orderly.modules} (the distributed deployment).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OrderlyApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrderlyApplication.class, args);
	}
}
