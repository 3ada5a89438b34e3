package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Wakes a relay after a producer's commit: this process's own, at once, while it runs; when
 * none runs here (messaging disabled on an API-only instance, or stopped first during a graceful
 * shutdown while requests still finish), every other process's, by a {@code NOTIFY} on
 * {@value #CHANNEL} that one sender thread sends outside any transaction (a NOTIFY inside a
 * commit would serialise commits), coalescing the commits made while it sends. Without it such
 * rows would wait for another relay's idle wait.
 */
final class RelayWakeUp implements DisposableBean {

	/** Relays listen here for commits made in processes that run none. */
	static final String CHANNEL = "orderly_outbox";

	private static final Logger log = LoggerFactory.getLogger(RelayWakeUp.class);

	private final Notifications notifications;

	/** Wakes this process's relay; false when none runs here. */
	private volatile BooleanSupplier localRelay = () -> false;

	private final WakeSignal pending = new WakeSignal();

	private Thread sender;

	RelayWakeUp(Outbox outbox, Notifications notifications) {
		this.notifications = notifications;
		outbox.onCommit(this::committed);
	}

	/** {@code wake} wakes this process's relay, answering false once it no longer runs. */
	void localRelay(BooleanSupplier wake) {
		this.localRelay = wake;
	}

	void committed() {
		if (!localRelay.getAsBoolean()) {
			startSender();
			pending.wake();
		}
	}

	private synchronized void startSender() {
		if (sender == null) {
			sender = Thread.ofPlatform().name("orderly-relay-wake-up").daemon().start(this::send);
		}
	}

	private void send() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				if (pending.await(Duration.ofSeconds(1))) {
					notifications.send(CHANNEL, "");
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// The database is away: the rows wait for it, then for a relay's idle wait at worst.
				log.debug("Could not wake the relays elsewhere", ex);
				pending.wake();
				try {
					Thread.sleep(Duration.ofSeconds(1)); // back off, not synchronisation
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	@Override
	public synchronized void destroy() {
		if (sender != null) {
			sender.interrupt();
		}
	}
}
