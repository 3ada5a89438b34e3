package io.orderly.platform.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a message payload on the wire, independent of its Java class: the CloudEvents
 * {@code type}, with its schema version last, as in {@code orderly.order.OrderPlaced.v1}.
 * A change a consumer of the previous version cannot read gets a new version.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageType {

	String value();
}
