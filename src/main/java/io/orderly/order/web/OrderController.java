package io.orderly.order.web;

import io.orderly.platform.ConditionalOnModule;
import java.net.URI;
import java.util.List;

import io.orderly.edge.Caller;
import io.orderly.order.OrderManagement;
import io.orderly.order.OrderRefund;
import io.orderly.order.OrderReturn;
import io.orderly.order.OrderView;
import io.orderly.order.PlaceOrder;
import io.orderly.order.internal.AfterCheckout;
import io.orderly.order.internal.OrderEventStreams;
import io.orderly.platform.saga.SagaHistoryEntry;
import io.orderly.platform.web.ProblemException;
import io.orderly.shipping.CountryCode;
import io.orderly.shipping.ShippingAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Orders per the API contract: place, read, list with cursors, cancel, timeline, refunds and returns. */
@RestController
@ConditionalOnModule("order")
@RequestMapping("/v1/orders")
class OrderController {

	private final OrderManagement orders;

	private final OrderEventStreams streams;

	OrderController(OrderManagement orders, OrderEventStreams streams) {
		this.orders = orders;
		this.streams = streams;
	}

	record ItemRequest(@NotBlank @Size(max = 64) String sku, @Min(1) @Max(1000) int quantity) {
	}

	record AddressRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 200) String line1,
			@Size(max = 200) String line2, @NotBlank @Size(max = 100) String city,
			@NotBlank @Size(max = 20) String postalCode,
			@NotNull @CountryCode @Schema(description = "An assigned ISO 3166-1 alpha-2 code", example = "DE",
					pattern = "^[A-Z]{2}$") String country) {
	}

	/** {@code customerId}: whom the order is for; a customer leaves it out (it is the caller). */
	record PlaceOrderRequest(@Size(max = 100) String customerId,
			@NotEmpty @Size(max = 100) List<@NotNull @Valid ItemRequest> items,
			@NotNull @Valid AddressRequest shippingAddress, @NotBlank @Size(max = 100) String paymentToken) {

		PlaceOrder toCommand(String customerId) {
			AddressRequest a = shippingAddress;
			return new PlaceOrder(customerId, items.stream().map(i -> new PlaceOrder.Item(i.sku(), i.quantity())).toList(),
					new ShippingAddress(a.name(), a.line1(), a.line2(), a.city(), a.postalCode(), a.country()),
					paymentToken);
		}
	}

	@Operation(summary = "Place an order", description = "Accepts the order (202, status PENDING) and starts its "
			+ "checkout saga. Requires an Idempotency-Key: a retry with the same key and body answers the same. "
			+ "A customer orders for themself (customerId left out, or their own); a merchant backend or an "
			+ "operator names the customer.")
	@ApiResponse(responseCode = "202", description = "Accepted: the order, status PENDING", useReturnTypeSchema = true)
	@PostMapping
	ResponseEntity<OrderView> place(@RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody PlaceOrderRequest request, Caller caller) {
		OrderView order = orders.place(request.toCommand(customerFor(caller, request.customerId(), true)));
		return ResponseEntity.accepted().location(URI.create("/v1/orders/" + order.id())).body(order);
	}

	@Operation(summary = "Read an order", description = "A customer's own only: another's answers 404 like a missing one.")
	@GetMapping("/{id}")
	OrderView get(@PathVariable String id, Caller caller) {
		return visible(id, caller);
	}

	@Operation(summary = "List orders, newest first", description = "Keyset pagination: follow next (older) "
			+ "or prev (newer) cursors; pages stay stable while new orders arrive.")
	@GetMapping
	OrderManagement.Page list(@RequestParam(required = false) @Size(max = 100) String customerId,
			@RequestParam(required = false) String after, @RequestParam(required = false) String before,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, Caller caller) {
		if (after != null && before != null) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"Use either after or before, not both.");
		}
		return orders.list(customerFor(caller, customerId, false), after, before, limit);
	}

	@Operation(summary = "Cancel an order", description = """
			Runs the saga's compensations, the shipment's first; 409 once the shipment left. A cancel \
			accepted (202) whose shipment is dispatched before its compensation reaches it is refused: \
			the order stays CONFIRMED with cancellationRejectedReason already_dispatched (and on its \
			timeline), nothing is undone, and the customer is told.""")
	@ApiResponse(responseCode = "202", description = "Cancellation started: the order", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "The order can no longer be cancelled (its shipment left)")
	@PostMapping("/{id}/cancel")
	ResponseEntity<OrderView> cancel(@PathVariable String id,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Caller caller) {
		visible(id, caller);
		return ResponseEntity.accepted().body(orders.cancel(id));
	}

	@Operation(summary = "Change where the parcel goes", description = """
			Before the parcel leaves: 200 with the order, its shippingAddress changed and the shipment going 			there. A change and a dispatch at the same instant are decided on the shipment: exactly one wins. 			409 once the parcel left (already-dispatched), for a cancelled order, or while the order is in 			checkout (no shipment yet). Requires an Idempotency-Key.""")
	@ApiResponse(responseCode = "200", description = "The order with its new address", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "The parcel left, or the order is cancelled or still in checkout")
	@PutMapping("/{id}/shipping-address")
	OrderView changeAddress(@PathVariable String id, @RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody AddressRequest a, Caller caller) {
		visible(id, caller);
		return orders.changeAddress(id,
				new ShippingAddress(a.name(), a.line1(), a.line2(), a.city(), a.postalCode(), a.country()));
	}

	@Operation(summary = "Take a line out before the parcel leaves", description = """
			Removes every unit of the sku from a confirmed order whose parcel has not left: 200 with the 			order (the line gone from items; totalMinor stays what was charged); its units go back on sale 			and its amount is refunded once (a refund in refunds, refundedMinor grows). Decided against a 			dispatch on the shipment: 409 once the parcel left, for the order's last line (cancel instead), or 			while the order is in checkout or being cancelled; 404 for a sku the order does not have. 			Requires an Idempotency-Key.""")
	@ApiResponse(responseCode = "200", description = "The order without the line", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "The parcel left, the last line, or the order cannot change now")
	@DeleteMapping("/{id}/items/{sku}")
	OrderView removeLine(@PathVariable String id, @PathVariable String sku,
			@RequestHeader("Idempotency-Key") String idempotencyKey, Caller caller) {
		visible(id, caller);
		return orders.removeLine(id, sku, caller.subject());
	}

	record RefundRequest(@NotNull @Min(1) @Max(100_000_000_000L) Long amountMinor,
			@NotBlank @Size(max = 200) String reason) {
	}

	@Operation(summary = "Refund part of an order (operators)", description = """
			Gives back amountMinor of a confirmed order's payment (goodwill, partial), with a reason: 			202 with the refund, status REQUESTED; the order's refunds show it REFUNDED once the provider 			did it (once, with the refund's own key, waiting through a provider outage), and refundedMinor 			grows. 409 when that is more than was captured minus what is refunded or being refunded 			(however many refunds are asked at once), while the order is in checkout or being cancelled, 			or once it is cancelled (a cancellation refunds in full). Requires an Idempotency-Key.""")
	@ApiResponse(responseCode = "202", description = "The refund, REQUESTED", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "More than is left to refund, or the order cannot be refunded now")
	@PostMapping("/{id}/refunds")
	ResponseEntity<OrderRefund> refund(@PathVariable String id, @RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody RefundRequest request, Caller caller) {
		visible(id, caller);
		return ResponseEntity.accepted().body(orders.refund(id, request.amountMinor(), request.reason(), caller.subject()));
	}

	record ReturnLineRequest(@NotBlank @Size(max = 64) String sku, @Min(1) @Max(1000) int quantity) {
	}

	record ReturnRequest(@NotEmpty @Size(max = 100) List<@NotNull @Valid ReturnLineRequest> lines,
			@Size(max = 500) String reason) {
	}

	@Operation(summary = "Ask to return units of a dispatched order", description = """
			The customer (their own order) or an operator for them names the skus and quantities to send 			back: 201 with the return, status REQUESTED. 409 for more units of a sku than were bought and 			not asked back already, or an order not dispatched yet (cancel it instead); 422 once 			orderly.order.return-window (30 days) has passed since dispatch. Requires an Idempotency-Key.""")
	@ApiResponse(responseCode = "201", description = "The return, REQUESTED", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "More than bought, or already asked back, or not dispatched")
	@ApiResponse(responseCode = "422", description = "The return window has closed")
	@PostMapping("/{id}/returns")
	ResponseEntity<OrderReturn> requestReturn(@PathVariable String id,
			@RequestHeader("Idempotency-Key") String idempotencyKey, @Valid @RequestBody ReturnRequest request,
			Caller caller) {
		visible(id, caller);
		OrderReturn created = orders.requestReturn(id,
				request.lines().stream().map(l -> new AfterCheckout.ReturnLine(l.sku(), l.quantity())).toList(),
				request.reason());
		return ResponseEntity.created(URI.create("/v1/orders/" + id + "/returns/" + created.id())).body(created);
	}

	record ReceivedLineRequest(@NotBlank @Size(max = 64) String sku, @Min(0) @Max(1000) int quantity,
			@NotNull Boolean restock) {
	}

	record ReceiveRequest(@NotNull @Size(max = 100) List<@NotNull @Valid ReceivedLineRequest> lines) {
	}

	@Operation(summary = "Receive a returned parcel (operators)", description = """
			Counts what arrived, per line (a line left out: nothing arrived), and whether it goes back on 			sale (restock): those units go back on hand, and what arrived is refunded once, at what was 			paid per unit and never more than is left to refund of the order (the return's refundId). 			409 if the return was received already; 422 for more units than the return asks for, or a sku 			it does not name.""")
	@ApiResponse(responseCode = "200", description = "The return, RECEIVED", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "Received already")
	@ApiResponse(responseCode = "422", description = "More units than the return asks for, or a sku it does not name")
	@PostMapping("/{id}/returns/{returnId}/receive")
	OrderReturn receiveReturn(@PathVariable String id, @PathVariable String returnId,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			@Valid @RequestBody ReceiveRequest request, Caller caller) {
		visible(id, caller);
		return orders.receiveReturn(id, returnId, request.lines()
			.stream()
			.map(l -> new AfterCheckout.ReceivedLine(l.sku(), l.quantity(), l.restock()))
			.toList(), caller.subject());
	}

	record Timeline(String orderId, List<SagaHistoryEntry> entries) {
	}

	@Operation(summary = "The order's saga, step by step", description = """
			Kept until `orderly.saga.history-retention` (30 days) after the checkout and anything \
			after it (a cancellation) ended; then the entries are empty and the order alone tells its state.""")
	@GetMapping("/{id}/timeline")
	Timeline timeline(@PathVariable String id, Caller caller) {
		visible(id, caller);
		return new Timeline(id, orders.timeline(id).orElseThrow(() -> notFound(id)));
	}

	@Operation(summary = "Follow the order live (server-sent events)", description = """
			A text/event-stream: a `progress` event per step of the order's saga (data: orderId and the \
			timeline entry; its id grows, so a reconnect with Last-Event-ID resumes after it without loss) \
			and a `status` event with the whole order at once and whenever its status, progress or \
			cancellation reason changes. The stream ends once checkout has ended (CONFIRMED or CANCELLED) \
			and after 5 minutes at most; reconnect with Last-Event-ID to go on. With follow=after-checkout it \
			follows a confirmed order on: progress events for DISPATCHED, DELIVERED, REFUND_REQUESTED, REFUNDED, \
			RETURN_REQUESTED, RETURN_RECEIVED, ADDRESS_CHANGED, LINE_REMOVED, a status event whenever any of \
			them changes the order, until it is delivered with no refund or return open (or cancelled). Any \
			instance serves any order.""")
	@ApiResponse(responseCode = "200", description = "The event stream", content = @Content(
			mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
	@GetMapping(path = "/{id}/events", produces = { MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	SseEmitter events(@PathVariable String id,
			@Parameter(description = "The id of the last event received, to resume after it")
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
			@Parameter(description = "after-checkout: follow a confirmed order on (dispatch, delivery, refunds, returns, edits) "
					+ "until it is delivered with no refund or return open")
			@RequestParam(name = "follow", required = false) String follow, Caller caller) {
		if (follow != null && !follow.equals("after-checkout")) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"follow: the one value is after-checkout.");
		}
		long after = 0;
		if (lastEventId != null && !lastEventId.isBlank()) {
			if (!lastEventId.strip().matches("[0-9]{1,18}")) {
				throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid Last-Event-ID",
						"Last-Event-ID must be the id of an event of this stream (digits).");
			}
			after = Long.parseLong(lastEventId.strip());
		}
		visible(id, caller);
		return streams.open(id, after, follow != null);
	}

	/** The order, if the caller may see it; another customer's order is as missing as a missing one. */
	private OrderView visible(String id, Caller caller) {
		return orders.find(id).filter(order -> caller.mayAccess(order.customerId())).orElseThrow(() -> notFound(id));
	}

	/**
	 * The customer a request is for: a customer's own id from the token (naming another is
	 * 403); for others the one named, which placing an order requires.
	 */
	private static String customerFor(Caller caller, String named, boolean required) {
		if (caller.isCustomer()) {
			if (named != null && !named.equals(caller.customerId())) {
				throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
						"A customer acts only for themself: leave customerId out or give your own.");
			}
			return caller.customerId();
		}
		if (required && (named == null || named.isBlank())) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"customerId: must name the customer the order is for", java.util.Map.of("errors", List.of(
							new io.orderly.platform.web.Problems.FieldError("customerId", "must not be blank"))));
		}
		return named;
	}

	private static ProblemException notFound(String id) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No order " + id + ".");
	}
}
