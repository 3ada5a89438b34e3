package io.orderly.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Registers a module's beans (its subscriptions, controllers, jobs) only in processes that
 * run the module: all of them in the embedded deployment, those named in
 * {@code orderly.modules} in the distributed one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Conditional(ConditionalOnModule.OnModule.class)
public @interface ConditionalOnModule {

	String value();

	final class OnModule implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String module = (String) metadata.getAnnotationAttributes(ConditionalOnModule.class.getName()).get("value");
			Set<String> modules = Binder.get(context.getEnvironment())
				.bind("orderly.modules", String[].class)
				.map(names -> Set.copyOf(Arrays.stream(names).map(String::trim).toList()))
				.orElse(Set.of("all"));
			return modules.contains("all") || modules.contains(module);
		}
	}
}
