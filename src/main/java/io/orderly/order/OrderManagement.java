package io.orderly.order;

import io.orderly.platform.ConditionalOnModule;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.orderly.inventory.Catalog;
import io.orderly.inventory.Product;
import io.orderly.order.internal.AfterCheckout;
import io.orderly.order.internal.OrderBacklog;
import io.orderly.order.internal.OrderCheckout;
import io.orderly.order.internal.Orders;
import io.orderly.platform.Ids;
import io.orderly.platform.saga.SagaHistoryEntry;
import io.orderly.platform.saga.SagaInstance;
import io.orderly.platform.saga.Sagas;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.orderly.shipping.ShippingAddress;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order module's API: place an order (starting its checkout saga), read orders and their
 * timelines, cancel an order before its shipment leaves; after checkout, refunds and returns.
 */
@Component
@ConditionalOnModule("order")
public class OrderManagement {

	private final Orders orders;

	private final OrderCheckout checkout;

	private final Catalog catalog;

	private final Sagas sagas;

	private final Clock clock;

	private final OrderBacklog backlog;

	private final AfterCheckout afterCheckout;

	OrderManagement(Orders orders, OrderCheckout checkout, Catalog catalog, Sagas sagas, Clock clock,
			OrderBacklog backlog, AfterCheckout afterCheckout) {
		this.orders = orders;
		this.afterCheckout = afterCheckout;
		this.backlog = backlog;
		this.checkout = checkout;
		this.catalog = catalog;
		this.sagas = sagas;
		this.clock = clock;
	}

	/**
	 * Accepts an order: prices it from the catalog, stores it PENDING and starts its checkout
	 * saga, all in one transaction. Unknown skus or mixed currencies are refused (422) and
	 * nothing is stored; so is an order that finds too many orders in checkout (503, see
	 * {@link OrderBacklog}).
	 */
	@Transactional
	public OrderView place(PlaceOrder request) {
		backlog.admit();
		Map<String, Product> products = catalog.findAll(request.items().stream().map(PlaceOrder.Item::sku).toList());
		List<Problems.FieldError> unknown = new ArrayList<>();
		for (int i = 0; i < request.items().size(); i++) {
			if (!products.containsKey(request.items().get(i).sku())) {
				unknown.add(new Problems.FieldError("items[" + i + "].sku", "is not a product of the catalog"));
			}
		}
		if (!unknown.isEmpty()) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-sku", "Unknown product",
					"The order names products that do not exist.", Map.of("errors", unknown));
		}
		List<String> currencies = products.values().stream().map(Product::currency).distinct().toList();
		if (currencies.size() > 1) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "mixed-currencies", "Mixed currencies",
					"The products of one order must share a currency, these use " + currencies + ".");
		}
		List<OrderLine> lines = request.items()
			.stream()
			.map(item -> new OrderLine(item.sku(), item.quantity(), products.get(item.sku()).priceMinor()))
			.toList();
		long total = lines.stream().mapToLong(line -> Math.multiplyExact(line.unitPriceMinor(), line.quantity())).sum();
		var now = clock.instant();
		Orders.Row order = new Orders.Row(Ids.nextString(), request.customerId(), OrderStatus.PENDING, lines, total,
				currencies.getFirst(), request.shippingAddress(), null, null, null, null, 0, now, now);
		checkout.begin(order, request.paymentToken());
		return view(order, "reserve-stock", List.of(), List.of());
	}

	@Transactional(readOnly = true)
	public Optional<OrderView> find(String id) {
		return orders.find(id).map(order -> views(List.of(order), this::progress).getFirst());
	}

	/**
	 * The orders as the API shows them, with their returns and refunds. Refunds exist only once
	 * an order left checkout, returns only once it left the warehouse: reads of orders in
	 * checkout (the polls of the hot path) ask for neither.
	 */
	private List<OrderView> views(List<Orders.Row> rows, Function<String, String> progress) {
		Map<String, List<OrderReturn>> returns = afterCheckout
			.returnsOf(rows.stream().filter(order -> order.dispatchedAt() != null).map(Orders.Row::id).toList());
		Map<String, List<OrderRefund>> refunds = afterCheckout
			.refundsOf(rows.stream().filter(order -> order.status() != OrderStatus.PENDING).map(Orders.Row::id).toList());
		return rows.stream()
			.map(order -> view(order, progress.apply(order.id()), returns.getOrDefault(order.id(), List.of()),
					refunds.getOrDefault(order.id(), List.of())))
			.toList();
	}

	/** A page of orders, newest first, with cursors to the pages before and after it. */
	public record Page(List<OrderView> items, String next, String prev) {
	}

	@Transactional(readOnly = true)
	public Page list(String customerId, String after, String before, int limit) {
		String afterId = after == null ? null : decodeCursor(after);
		String beforeId = before == null ? null : decodeCursor(before);
		List<Orders.Row> rows = new ArrayList<>(orders.page(customerId, afterId, beforeId, limit));
		boolean more = rows.size() > limit;
		if (more) {
			rows.removeLast();
		}
		if (beforeId != null) {
			rows = rows.reversed();
		}
		List<OrderView> items = views(rows, orderId -> null);
		boolean olderExist = beforeId != null ? !items.isEmpty() : more;
		boolean newerExist = beforeId != null ? more : afterId != null && !items.isEmpty();
		String next = olderExist && !items.isEmpty() ? encodeCursor(items.getLast().id()) : null;
		String prev = newerExist ? encodeCursor(items.getFirst().id()) : null;
		return new Page(items, next, prev);
	}

	/** The order's saga, step by step, with timestamps. */
	@Transactional(readOnly = true)
	public Optional<List<SagaHistoryEntry>> timeline(String id) {
		return orders.find(id).map(order -> sagas.history(id));
	}

	/**
	 * Cancels an order whose shipment has not left: its checkout saga undoes every step taken
	 * (release stock, void or refund, cancel the shipment). Cancelling a cancelled order
	 * changes nothing. Decided under the order's lock: not while a refund of it is being made.
	 */
	@Transactional
	public OrderView cancel(String id) {
		afterCheckout.lockForCancel(id);
		sagas.cancel(id, "cancelled_by_customer", true);
		return find(id).orElseThrow();
	}

	/** An operator's refund of part of a confirmed order (see {@link AfterCheckout#refund}). */
	@Transactional
	public OrderRefund refund(String id, long amountMinor, String reason, String by) {
		return afterCheckout.refund(id, amountMinor, reason, by);
	}

	/** Sends the parcel elsewhere before it leaves (see {@link AfterCheckout#changeAddress}); the order as it is now. */
	@Transactional
	public OrderView changeAddress(String id, ShippingAddress address) {
		afterCheckout.changeAddress(id, address);
		return find(id).orElseThrow();
	}

	/** Takes a line out before the parcel leaves (see {@link AfterCheckout#removeLine}); the order as it is now. */
	@Transactional
	public OrderView removeLine(String id, String sku, String by) {
		afterCheckout.removeLine(id, sku, by);
		return find(id).orElseThrow();
	}

	/** A return of some units of a dispatched order (see {@link AfterCheckout#requestReturn}). */
	@Transactional
	public OrderReturn requestReturn(String id, List<AfterCheckout.ReturnLine> lines, String reason) {
		return afterCheckout.requestReturn(id, lines, reason);
	}

	/** What arrived of a return (see {@link AfterCheckout#receive}). */
	@Transactional
	public OrderReturn receiveReturn(String id, String returnId, List<AfterCheckout.ReceivedLine> lines, String by) {
		return afterCheckout.receive(id, returnId, lines, by);
	}

	private String progress(String id) {
		String progress = sagas.find(id).map(OrderManagement::progressOf).orElse(null);
		if ("authorize-payment".equals(progress) && orders.paymentPendingUntil(id).isPresent()) {
			// The provider cannot be reached: the order waits for it (up to orderly.payment.pending.max-wait).
			return "payment_pending";
		}
		return progress;
	}

	private static String progressOf(SagaInstance saga) {
		return switch (saga.state()) {
			case RUNNING -> saga.step();
			case COMPENSATING -> "compensating:" + saga.compensating();
			case NEEDS_ATTENTION -> "needs_attention:" + saga.compensating();
			case COMPLETED, COMPENSATED -> saga.state().name().toLowerCase();
		};
	}

	private static OrderView view(Orders.Row order, String progress, List<OrderReturn> returns,
			List<OrderRefund> refunds) {
		return new OrderView(order.id(), order.customerId(), order.status(), order.lines(), order.totalMinor(),
				order.currency(), order.cancellationReason(), order.cancellationRejectedReason(), order.address(), progress,
				order.dispatchedAt(), order.deliveredAt(), order.refundedMinor(), returns, refunds, order.createdAt(),
				order.updatedAt());
	}

	private static String encodeCursor(String id) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
	}

	private static String decodeCursor(String cursor) {
		try {
			String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (!id.matches("[0-9a-f-]{36}")) {
				throw new IllegalArgumentException();
			}
			return id;
		}
		catch (IllegalArgumentException ex) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"The page cursor is not valid.", Map.of("errors",
							List.of(new Problems.FieldError("cursor", "is not a cursor this API returned"))));
		}
	}
}
