package io.orderly.shipping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Set;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An ISO 3166-1 alpha-2 country code that exists ({@code DE}, not {@code XX} nor {@code de}),
 * from the JDK's list of officially assigned codes. Null is left to {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = CountryCode.Check.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface CountryCode {

	String message() default "must be an assigned ISO 3166-1 alpha-2 country code such as DE";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Check implements ConstraintValidator<CountryCode, String> {

		private static final Set<String> ASSIGNED = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);

		/** Whether {@code code} is an assigned ISO 3166-1 alpha-2 code, in capitals. */
		public static boolean isAssigned(String code) {
			return code != null && ASSIGNED.contains(code);
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || isAssigned(value);
		}
	}
}
