package io.orderly.notification.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Customers as recipients: contact points, locale, zone and quiet hours, opt-outs; and the orders' buyers. */
@Component
@ConditionalOnModule("notification")
class Recipients {

	private final JdbcClient jdbc;

	Recipients(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A customer's preferences; {@link #none} for one who never set any. */
	record Preferences(String customerId, String email, String phone, List<String> pushTokens, String locale,
			ZoneId timeZone, QuietHours quietHours, Set<OptOut> optOuts) {

		static Preferences none(String customerId) {
			return new Preferences(customerId, null, null, List.of(), NotificationTemplates.DEFAULT_LOCALE,
					ZoneId.of("UTC"), null, Set.of());
		}

		boolean optedOut(Channel channel, Priority.Category category) {
			return optOuts.contains(new OptOut(channel, category));
		}

		/** Where this channel reaches the customer; empty when it does not. In-app always does. */
		Optional<String> address(Channel channel) {
			return Optional.ofNullable(switch (channel) {
				case EMAIL -> email;
				case SMS -> phone;
				case PUSH -> pushTokens.isEmpty() ? null : String.join(",", pushTokens);
				case IN_APP -> customerId;
			});
		}
	}

	record OptOut(Channel channel, Priority.Category category) {
	}

	Preferences of(String customerId) {
		return of(List.of(customerId)).get(customerId);
	}

	/** The preferences of each customer named ({@link Preferences#none} for one who never set any): two queries in all. */
	Map<String, Preferences> of(Collection<String> customerIds) {
		String[] ids = customerIds.stream().distinct().toArray(String[]::new);
		Map<String, Set<OptOut>> optOuts = new HashMap<>();
		jdbc.sql("select customer_id, channel, category from notification.opt_outs where customer_id = any(:ids)")
			.param("ids", ids)
			.query((rs, n) -> optOuts.computeIfAbsent(rs.getString("customer_id"), id -> new HashSet<>())
				.add(new OptOut(Channel.valueOf(rs.getString("channel")), Priority.Category.valueOf(rs.getString("category")))))
			.list();
		Map<String, Preferences> found = new HashMap<>();
		jdbc.sql("""
				select customer_id, email, phone, push_tokens, locale, time_zone, quiet_start, quiet_end
				from notification.recipients where customer_id = any(:ids)""")
			.param("ids", ids)
			.query(Recipients::preferences)
			.list()
			.forEach(p -> found.put(p.customerId(), new Preferences(p.customerId(), p.email(), p.phone(), p.pushTokens(),
					p.locale(), p.timeZone(), p.quietHours(), optOuts.getOrDefault(p.customerId(), Set.of()))));
		for (String id : ids) {
			found.computeIfAbsent(id, Preferences::none);
		}
		return found;
	}

	/** Replaces the customer's preferences and opt-outs, in the caller's transaction. */
	void put(Preferences preferences, Instant now) {
		QuietHours quiet = preferences.quietHours();
		jdbc.sql("""
				insert into notification.recipients
				    (customer_id, email, phone, push_tokens, locale, time_zone, quiet_start, quiet_end, updated_at)
				values (:id, :email, :phone, :tokens, :locale, :zone, :start, :end, :now)
				on conflict (customer_id) do update set email = excluded.email, phone = excluded.phone,
				    push_tokens = excluded.push_tokens, locale = excluded.locale, time_zone = excluded.time_zone,
				    quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = excluded.updated_at""")
			.param("id", preferences.customerId())
			.param("email", preferences.email())
			.param("phone", preferences.phone())
			.param("tokens", preferences.pushTokens().toArray(String[]::new))
			.param("locale", preferences.locale())
			.param("zone", preferences.timeZone().getId())
			.param("start", quiet == null ? null : Time.valueOf(quiet.start()))
			.param("end", quiet == null ? null : Time.valueOf(quiet.end()))
			.param("now", Timestamp.from(now))
			.update();
		jdbc.sql("delete from notification.opt_outs where customer_id = :id").param("id", preferences.customerId()).update();
		for (OptOut optOut : preferences.optOuts()) {
			jdbc.sql("insert into notification.opt_outs (customer_id, channel, category) values (:id, :channel, :category)")
				.param("id", preferences.customerId())
				.param("channel", optOut.channel().name())
				.param("category", optOut.category().name())
				.update();
		}
	}

	/** Remembers an order's buyer (from OrderPlaced) for the events that name only the order. */
	void rememberBuyer(String orderId, String customerId) {
		jdbc.sql("""
				insert into notification.order_recipients (order_id, customer_id) values (:order, :customer)
				on conflict (order_id) do nothing""").param("order", orderId).param("customer", customerId).update();
	}

	Optional<String> buyerOf(String orderId) {
		return jdbc.sql("select customer_id from notification.order_recipients where order_id = :order")
			.param("order", orderId)
			.query(String.class)
			.optional();
	}

	private static Preferences preferences(ResultSet rs, int row) throws SQLException {
		Array tokens = rs.getArray("push_tokens");
		Time start = rs.getTime("quiet_start");
		Time end = rs.getTime("quiet_end");
		return new Preferences(rs.getString("customer_id"), rs.getString("email"), rs.getString("phone"),
				tokens == null ? List.of() : Arrays.asList((String[]) tokens.getArray()), rs.getString("locale"),
				ZoneId.of(rs.getString("time_zone")),
				start == null ? null : new QuietHours(start.toLocalTime(), end.toLocalTime()), Set.of());
	}
}
