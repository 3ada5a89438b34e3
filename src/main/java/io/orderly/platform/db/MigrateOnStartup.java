package io.orderly.platform.db;

import javax.sql.DataSource;

import io.orderly.platform.OrderlyModules;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Migrates the database as soon as the {@link DataSource} exists, so no bean ever sees an
 * old schema.
 */
@Configuration(proxyBeanMethods = false)
class MigrateOnStartup {

	@Bean
	static BeanPostProcessor moduleMigrations(ObjectProvider<OrderlyModules> modules) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DataSource dataSource) {
					ModuleMigrations.migrate(dataSource, modules.getObject()::enabled);
				}
				return bean;
			}
		};
	}
}
