package io.orderly.psp.internal;

import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The simulator runs when {@code orderly.modules} is {@code all} (the embedded deployment) or
 * names {@code psp}; a process that runs other modules only talks to a PSP elsewhere.
 */
public class PspEnabled implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return in(context.getEnvironment());
	}

	static boolean in(Environment environment) {
		Set<String> modules = Binder.get(environment)
			.bind("orderly.modules", Bindable.setOf(String.class))
			.orElse(Set.of("all"));
		return modules.contains("all") || modules.contains("psp");
	}
}
