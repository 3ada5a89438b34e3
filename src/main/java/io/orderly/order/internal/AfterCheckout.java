package io.orderly.order.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderly.inventory.ReleaseLine;
import io.orderly.inventory.RestockUnits;
import io.orderly.order.OrderLine;
import io.orderly.order.OrderRefund;
import io.orderly.order.OrderRefunded;
import io.orderly.order.OrderReturn;
import io.orderly.order.OrderStatus;
import io.orderly.payment.PaymentRefunded;
import io.orderly.payment.RefundIssued;
import io.orderly.payment.RefundPayment;
import io.orderly.payment.RefundRefused;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import io.orderly.platform.messaging.MessageCodec;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.saga.SagaState;
import io.orderly.platform.saga.Sagas;
import io.orderly.platform.web.ProblemException;
import io.orderly.shipping.ShippingAddress;
import io.orderly.shipping.ShipmentChanges;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An order's life after checkout: refunds an operator gives, returns, and what the payment
 * module answers. Every decision takes the order's locks first (the semantic lock of
 * HOUSE_STYLE.md: its checkout saga's row, then its own row, in the order the saga engine takes
 * them when it applies a reply), as a cancel does: while one is decided for an order, the
 * others wait, so
 *
 * <ul>
 * <li>refunds (named, and a return's) never ask for more in all than the order's total, which is
 * what was captured, however many are asked at once;</li>
 * <li>no refund is asked while a cancellation is under way (it refunds the rest itself), and no
 * cancellation starts while a refund waits for the payment module (its full refund would
 * race the partial one at the provider);</li>
 * <li>a unit is returned at most once: what is asked back, in all returns, never passes what
 * was bought.</li>
 * </ul>
 * The payment module decides each refund once more under the payment's own lock against what it
 * captured, and does it once with the refund's id as its key.
 */
@Component
@ConditionalOnModule("order")
public class AfterCheckout {

	/** Kinds of the entries put on the order's timeline. */
	static final String REFUND_REQUESTED = "REFUND_REQUESTED";

	static final String REFUNDED = "REFUNDED";

	static final String REFUND_REFUSED = "REFUND_REFUSED";

	static final String RETURN_REQUESTED = "RETURN_REQUESTED";

	static final String RETURN_RECEIVED = "RETURN_RECEIVED";

	/** One line asked back: {@code quantity} units of {@code sku}. */
	public record ReturnLine(String sku, int quantity) {
	}

	/** One line counted on arrival: {@code quantity} units came back, {@code restock} whether they go back on sale. */
	public record ReceivedLine(String sku, int quantity, boolean restock) {
	}

	private final JdbcClient jdbc;

	private final Orders orders;

	private final Sagas sagas;

	private final Outbox outbox;

	private final MessageCodec codec;

	private final Clock clock;

	private final Duration returnWindow;

	private final ShipmentChanges shipments;

	AfterCheckout(JdbcClient jdbc, Orders orders, Sagas sagas, Outbox outbox, MessageCodec codec, Clock clock,
			ShipmentChanges shipments, @Value("${orderly.order.return-window:30d}") Duration returnWindow) {
		this.shipments = shipments;
		this.jdbc = jdbc;
		this.orders = orders;
		this.sagas = sagas;
		this.outbox = outbox;
		this.codec = codec;
		this.clock = clock;
		this.returnWindow = returnWindow;
	}

	/**
	 * An operator gives back {@code amountMinor} of a confirmed order (goodwill, partial): 409 if
	 * that is more than was captured minus what is refunded or being refunded, or while the order
	 * is in checkout or being cancelled.
	 */
	@Transactional
	public OrderRefund refund(String orderId, long amountMinor, String reason, String by) {
		Orders.Row order = lockConfirmed(orderId, "refunded");
		return startRefund(order, amountMinor, reason, null, by);
	}

	/**
	 * The customer (or an operator for them) asks to send back some units of a dispatched order,
	 * within {@code orderly.order.return-window} of its delivery (of its dispatch while delivery is
	 * not reported; 422 after); 409 for more units
	 * of a sku than were bought and not yet asked back.
	 */
	@Transactional
	public OrderReturn requestReturn(String orderId, List<ReturnLine> lines, String reason) {
		Orders.Row order = lockConfirmed(orderId, "returned");
		if (order.dispatchedAt() == null) {
			throw conflict("not-dispatched", "Not dispatched",
					"Order " + orderId + " has not been dispatched; cancel it instead of returning it.");
		}
		Instant now = clock.instant();
		// The window runs from delivery, or from dispatch while the carrier has not reported it.
		Instant closes = (order.deliveredAt() != null ? order.deliveredAt() : order.dispatchedAt()).plus(returnWindow);
		if (now.isAfter(closes)) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "return-window-closed", "Return window closed",
					"Order " + orderId + " could be returned until " + closes + ".", Map.of("closedAt", closes.toString()));
		}
		Map<String, Integer> bought = bought(order.lines());
		Map<String, Integer> asked = askedBack(orderId);
		if (lines.stream().map(ReturnLine::sku).distinct().count() < lines.size()) {
			throw invalid("lines", "names a sku twice");
		}
		for (ReturnLine line : lines) {
			int left = bought.getOrDefault(line.sku(), 0) - asked.getOrDefault(line.sku(), 0);
			if (line.quantity() > left) {
				throw conflict("return-exceeds-bought", "More than bought",
						"Order " + orderId + " has " + Math.max(left, 0) + " unit(s) of " + line.sku()
								+ " that were bought and not asked back already; the return asks for " + line.quantity() + ".");
			}
		}
		String id = Ids.nextString();
		List<OrderReturn.Line> requested = lines.stream()
			.map(l -> new OrderReturn.Line(l.sku(), l.quantity(), null, null))
			.toList();
		jdbc.sql("""
				insert into orders.returns (id, order_id, status, reason, lines, created_at)
				values (:id, :order, 'REQUESTED', :reason, cast(:lines as jsonb), :now)""")
			.param("id", id)
			.param("order", orderId)
			.param("reason", reason)
			.param("lines", codec.write(requested))
			.param("now", Timestamp.from(now))
			.update();
		sagas.note(orderId, RETURN_REQUESTED, id + " " + describe(requested));
		return new OrderReturn(id, "REQUESTED", reason, requested, null, now, null);
	}

	/**
	 * An operator counts what arrived of a return, per line, and says whether it goes back on
	 * sale: the units to restock go back on hand, and what arrived is refunded once (at most what
	 * is left to refund of the order). A return is received once (409 after).
	 */
	@Transactional
	public OrderReturn receive(String orderId, String returnId, List<ReceivedLine> lines, String by) {
		sagas.lock(orderId);
		Orders.Row order = orders.lock(orderId).orElseThrow(() -> notFound(orderId));
		OrderReturn found = returnsOf(List.of(orderId)).getOrDefault(orderId, List.of())
			.stream()
			.filter(r -> r.id().equals(returnId))
			.findFirst()
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"Order " + orderId + " has no return " + returnId + "."));
		if (!"REQUESTED".equals(found.status())) {
			throw conflict("return-already-received", "Already received",
					"Return " + returnId + " was received at " + found.receivedAt() + ".");
		}
		Map<String, ReceivedLine> counted = new LinkedHashMap<>();
		for (ReceivedLine line : lines) {
			if (counted.put(line.sku(), line) != null) {
				throw invalid("lines", "names " + line.sku() + " twice");
			}
		}
		Map<String, Long> prices = unitPrices(order.lines());
		List<OrderReturn.Line> received = new ArrayList<>();
		List<RestockUnits.Line> restock = new ArrayList<>();
		long amount = 0;
		for (OrderReturn.Line line : found.lines()) {
			ReceivedLine got = counted.remove(line.sku());
			int quantity = got == null ? 0 : got.quantity();
			if (quantity > line.quantity()) {
				throw invalid("lines", line.sku() + ": " + quantity + " received, but the return asks for " + line.quantity());
			}
			boolean back = got != null && got.restock() && quantity > 0;
			received.add(new OrderReturn.Line(line.sku(), line.quantity(), quantity, back));
			if (back) {
				restock.add(new RestockUnits.Line(line.sku(), quantity));
			}
			amount = Math.addExact(amount, Math.multiplyExact(prices.get(line.sku()), quantity));
		}
		if (!counted.isEmpty()) {
			throw invalid("lines", "names skus the return does not ask for: " + counted.keySet());
		}
		Instant now = clock.instant();
		OrderRefund refund = order.status() == OrderStatus.CONFIRMED
				? refundWhatIsLeft(order, amount, "return " + returnId, returnId, by) : null;
		String refundId = refund == null ? null : refund.id();
		long refunded = refund == null ? 0 : refund.amountMinor();
		if (!restock.isEmpty()) {
			outbox.publish(orderId, new RestockUnits(orderId, "return " + returnId, restock));
		}
		jdbc.sql("""
				update orders.returns set status = 'RECEIVED', lines = cast(:lines as jsonb), refund_id = :refund,
				    received_at = :now where id = :id""")
			.param("lines", codec.write(received))
			.param("refund", refundId)
			.param("now", Timestamp.from(now))
			.param("id", returnId)
			.update();
		sagas.note(orderId, RETURN_RECEIVED, returnId + " " + describe(received) + (amount > refunded
				? "; " + amount + " owed for what came back, " + refunded + " left to refund" : ""));
		return new OrderReturn(returnId, "RECEIVED", found.reason(), received, refundId, found.createdAt(), now);
	}

	/**
	 * Sends the order's parcel to another address, before it leaves: decided under the order's
	 * lock and, against a dispatch, on the shipment's row ({@link ShipmentChanges}): 409 once
	 * the parcel left, for a cancelled order, or while the order is still in checkout.
	 */
	@Transactional
	public void changeAddress(String orderId, ShippingAddress address) {
		sagas.lock(orderId);
		Orders.Row order = orders.lock(orderId).orElseThrow(() -> notFound(orderId));
		ShipmentChanges.Outcome outcome = order.status() == OrderStatus.CANCELLED ? ShipmentChanges.Outcome.CANCELLED
				: shipments.changeAddress(orderId, address);
		switch (outcome) {
			case CHANGED -> {
				orders.changeAddress(orderId, address);
				sagas.note(orderId, "ADDRESS_CHANGED", address.city() + ", " + address.country());
			}
			case LEFT -> throw conflict("already-dispatched", "Order already dispatched",
					"The parcel of order " + orderId + " has left; its address can no longer change.");
			case CANCELLED -> throw conflict("not-confirmed", "Order cancelled", "Order " + orderId + " is cancelled.");
			case NONE -> throw conflict("checkout-in-progress", "Checkout in progress",
					"Order " + orderId + " has no shipment yet; change its address once it is confirmed.");
		}
	}

	/**
	 * Takes a line out of a confirmed order before its parcel leaves: its units go back on sale,
	 * its amount is refunded (once, as any refund), and the parcel leaves without it. Decided
	 * under the order's lock and, against a dispatch, on the shipment's row: 409 once the parcel
	 * left, or for the order's last line (cancel the order instead); 404 for a sku it does not have.
	 */
	@Transactional
	public void removeLine(String orderId, String sku, String by) {
		Orders.Row order = lockConfirmed(orderId, "changed");
		List<OrderLine> kept = order.lines().stream().filter(line -> !line.sku().equals(sku)).toList();
		if (kept.size() == order.lines().size()) {
			throw new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"Order " + orderId + " has no line for " + sku + ".");
		}
		if (kept.isEmpty()) {
			throw conflict("last-line", "Last line", "A line is all order " + orderId + " has left; cancel the order instead.");
		}
		switch (shipments.removeItem(orderId, sku)) {
			case CHANGED -> {
			}
			case LEFT -> throw conflict("already-dispatched", "Order already dispatched",
					"The parcel of order " + orderId + " has left; its lines can no longer change.");
			case CANCELLED, NONE -> throw new IllegalStateException("A confirmed order " + orderId + " without a live shipment");
		}
		List<OrderLine> removed = order.lines().stream().filter(line -> line.sku().equals(sku)).toList();
		long amount = removed.stream().mapToLong(line -> Math.multiplyExact(line.unitPriceMinor(), line.quantity())).sum();
		int units = removed.stream().mapToInt(OrderLine::quantity).sum();
		orders.changeLines(orderId, kept);
		// Out of the order's reservation too, so that a later cancel does not give the units back twice.
		outbox.publish(orderId, new ReleaseLine(orderId, sku));
		sagas.note(orderId, "LINE_REMOVED", sku + " x" + units);
		refundWhatIsLeft(order, amount, "line removed: " + sku, null, by);
	}

	/**
	 * In the cancel's transaction: locks the order, which may be cancelled only before its
	 * shipment left (409 after) and not while a refund of it waits for the payment module (409).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void lockForCancel(String orderId) {
		sagas.lock(orderId);
		Orders.Row order = orders.lock(orderId).orElseThrow(() -> notFound(orderId));
		if (order.dispatchedAt() != null) {
			throw conflict("already-dispatched", "Order already dispatched",
					"The shipment of order " + orderId + " has left; it can no longer be cancelled.");
		}
		if (order.status() != OrderStatus.CANCELLED && jdbc.sql("select exists (select 1 from orders.refunds where order_id = :order and status = 'REQUESTED')")
			.param("order", orderId)
			.query(Boolean.class)
			.single()) {
			throw conflict("refund-in-progress", "Refund in progress",
					"A refund of order " + orderId + " is being made; cancel once it is done (the cancel refunds the rest).");
		}
	}

	/** The payment module did a refund: it is recorded, the order's refunded total grows, the customer is told. */
	@Transactional(propagation = Propagation.MANDATORY)
	void issued(RefundIssued reply) {
		Optional<Orders.Row> order = orders.lock(reply.orderId());
		Optional<String> reason = jdbc.sql("""
				update orders.refunds set status = 'REFUNDED', updated_at = :now
				where id = :id and order_id = :order and status = 'REQUESTED' returning reason""")
			.param("now", Timestamp.from(clock.instant()))
			.param("id", reply.refundId())
			.param("order", reply.orderId())
			.query(String.class)
			.optional();
		if (reason.isEmpty() || order.isEmpty()) {
			return;
		}
		jdbc.sql("update orders.orders set refunded_minor = refunded_minor + :amount, updated_at = :now where id = :id")
			.param("amount", reply.amountMinor())
			.param("now", Timestamp.from(clock.instant()))
			.param("id", reply.orderId())
			.update();
		sagas.note(reply.orderId(), REFUNDED, reply.refundId() + " " + reply.amountMinor() + " " + reply.currency());
		outbox.publish(reply.orderId(), new OrderRefunded(reply.orderId(), order.get().customerId(), reply.refundId(),
				reply.amountMinor(), reply.currency(), reason.get()));
	}

	/** The payment module refused a refund: recorded with its reason; the amount may be asked for again. */
	@Transactional(propagation = Propagation.MANDATORY)
	void refused(RefundRefused reply) {
		orders.lock(reply.orderId());
		int updated = jdbc.sql("""
				update orders.refunds set status = 'REFUSED', refused_reason = :reason, updated_at = :now
				where id = :id and order_id = :order and status = 'REQUESTED'""")
			.param("reason", reply.reason())
			.param("now", Timestamp.from(clock.instant()))
			.param("id", reply.refundId())
			.param("order", reply.orderId())
			.update();
		if (updated > 0) {
			sagas.note(reply.orderId(), REFUND_REFUSED, reply.refundId() + " " + reply.reason());
		}
	}

	/** A cancellation refunded what was left: the order's refunded total is the payment's. */
	@Transactional(propagation = Propagation.MANDATORY)
	void reversed(PaymentRefunded reply) {
		jdbc.sql("""
				update orders.orders set refunded_minor = greatest(refunded_minor, :amount), updated_at = :now
				where id = :id""")
			.param("amount", reply.amountMinor())
			.param("now", Timestamp.from(clock.instant()))
			.param("id", reply.orderId())
			.update();
	}

	/** Per order, its returns, oldest first. */
	public Map<String, List<OrderReturn>> returnsOf(Collection<String> orderIds) {
		Map<String, List<OrderReturn>> found = new HashMap<>();
		if (orderIds.isEmpty()) {
			return found;
		}
		jdbc.sql("select * from orders.returns where order_id in (:orders) order by created_at, id")
			.param("orders", orderIds)
			.query((rs, n) -> found.computeIfAbsent(rs.getString("order_id"), k -> new ArrayList<>()).add(returnOf(rs)))
			.list();
		return found;
	}

	/** Per order, its named refunds, oldest first. */
	public Map<String, List<OrderRefund>> refundsOf(Collection<String> orderIds) {
		Map<String, List<OrderRefund>> found = new HashMap<>();
		if (orderIds.isEmpty()) {
			return found;
		}
		jdbc.sql("select * from orders.refunds where order_id in (:orders) order by created_at, id")
			.param("orders", orderIds)
			.query((rs, n) -> found.computeIfAbsent(rs.getString("order_id"), k -> new ArrayList<>()).add(refundOf(rs)))
			.list();
		return found;
	}

	private OrderRefund startRefund(Orders.Row order, long amountMinor, String reason, String returnId, String by) {
		String orderId = order.id();
		long left = order.totalMinor() - committedRefunds(orderId);
		if (amountMinor > left) {
			throw conflict("refund-exceeds-captured", "More than captured",
					"Order " + orderId + " has " + Math.max(left, 0) + " " + order.currency()
							+ " (minor units) captured and not refunded or being refunded; the refund asks for " + amountMinor + ".");
		}
		return insertRefund(order, amountMinor, reason, returnId, by);
	}

	/** What is owed, {@code amountMinor}, as far as the order has anything left to refund; null if nothing is left. */
	private OrderRefund refundWhatIsLeft(Orders.Row order, long amountMinor, String reason, String returnId, String by) {
		long refund = Math.min(amountMinor, order.totalMinor() - committedRefunds(order.id()));
		return refund > 0 ? insertRefund(order, refund, reason, returnId, by) : null;
	}

	/** Records the refund and asks the payment module for it, in the caller's transaction. */
	private OrderRefund insertRefund(Orders.Row order, long amountMinor, String reason, String returnId, String by) {
		String orderId = order.id();
		Instant now = clock.instant();
		String id = Ids.nextString();
		jdbc.sql("""
				insert into orders.refunds (id, order_id, amount_minor, reason, return_id, status, requested_by,
				    created_at, updated_at)
				values (:id, :order, :amount, :reason, :returnId, 'REQUESTED', :by, :now, :now)""")
			.param("id", id)
			.param("order", orderId)
			.param("amount", amountMinor)
			.param("reason", reason)
			.param("returnId", returnId)
			.param("by", by)
			.param("now", Timestamp.from(now))
			.update();
		outbox.publish(orderId, new RefundPayment(orderId, id, amountMinor, reason));
		sagas.note(orderId, REFUND_REQUESTED, id + " " + amountMinor + " " + order.currency() + ": " + reason);
		return new OrderRefund(id, amountMinor, reason, returnId, "REQUESTED", null, now, now);
	}

	/** Locks the order; 404 if there is none, 409 unless it is confirmed and its checkout saga rests completed. */
	private Orders.Row lockConfirmed(String orderId, String what) {
		Optional<SagaState> saga = sagas.lock(orderId);
		Orders.Row order = orders.lock(orderId).orElseThrow(() -> notFound(orderId));
		if (order.status() != OrderStatus.CONFIRMED) {
			throw conflict("not-confirmed", "Not confirmed", "Order " + orderId + " is " + order.status()
					+ (order.status() == OrderStatus.CANCELLED ? " (and refunded in full if it was charged)" : "")
					+ "; only a confirmed order can be " + what + ".");
		}
		if (saga.filter(state -> state == SagaState.COMPLETED).isEmpty()) {
			throw conflict("cancellation-in-progress", "Cancellation in progress",
					"Order " + orderId + " is being cancelled; the cancellation refunds what was charged.");
		}
		return order;
	}

	/** What the order's refunds ask for or gave, in all (refused ones aside). */
	private long committedRefunds(String orderId) {
		return jdbc.sql("select coalesce(sum(amount_minor), 0) from orders.refunds where order_id = :order and status <> 'REFUSED'")
			.param("order", orderId)
			.query(Long.class)
			.single();
	}

	private Map<String, Integer> askedBack(String orderId) {
		Map<String, Integer> asked = new HashMap<>();
		for (OrderReturn r : returnsOf(List.of(orderId)).getOrDefault(orderId, List.of())) {
			for (OrderReturn.Line line : r.lines()) {
				asked.merge(line.sku(), line.quantity(), Integer::sum);
			}
		}
		return asked;
	}

	private static Map<String, Integer> bought(List<OrderLine> lines) {
		Map<String, Integer> bought = new HashMap<>();
		lines.forEach(line -> bought.merge(line.sku(), line.quantity(), Integer::sum));
		return bought;
	}

	/** Per sku, the lowest price it was bought at in the order: a refund never gives back more than was paid. */
	private static Map<String, Long> unitPrices(List<OrderLine> lines) {
		Map<String, Long> prices = new HashMap<>();
		lines.forEach(line -> prices.merge(line.sku(), line.unitPriceMinor(), Math::min));
		return prices;
	}

	private static String describe(List<OrderReturn.Line> lines) {
		StringBuilder text = new StringBuilder();
		for (OrderReturn.Line line : lines) {
			text.append(text.isEmpty() ? "" : ", ").append(line.sku()).append(" x");
			if (line.receivedQuantity() == null) {
				text.append(line.quantity());
			}
			else {
				text.append(line.receivedQuantity()).append('/').append(line.quantity())
					.append(Boolean.TRUE.equals(line.restock()) ? " restocked" : "");
			}
		}
		return text.toString();
	}

	private OrderReturn returnOf(ResultSet rs) throws SQLException {
		Timestamp received = rs.getTimestamp("received_at");
		return new OrderReturn(rs.getString("id"), rs.getString("status"), rs.getString("reason"),
				List.of(codec.read(rs.getString("lines"), OrderReturn.Line[].class)), rs.getString("refund_id"),
				rs.getTimestamp("created_at").toInstant(), received == null ? null : received.toInstant());
	}

	private static OrderRefund refundOf(ResultSet rs) throws SQLException {
		return new OrderRefund(rs.getString("id"), rs.getLong("amount_minor"), rs.getString("reason"),
				rs.getString("return_id"), rs.getString("status"), rs.getString("refused_reason"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	private static ProblemException conflict(String type, String title, String detail) {
		return new ProblemException(HttpStatus.CONFLICT, type, title, detail);
	}

	private static ProblemException invalid(String field, String message) {
		return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "validation", "Invalid request", field + " " + message,
				Map.of("errors", List.of(new io.orderly.platform.web.Problems.FieldError(field, message))));
	}

	private static ProblemException notFound(String orderId) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No order " + orderId + ".");
	}
}
