package io.orderly.platform.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Signals to every running instance at once, over PostgreSQL {@code NOTIFY}: for what must
 * reach each instance rather than one consumer, such as evicting a cached entry. A signal sent
 * inside a transaction goes out when it commits. Signals are not stored: an instance that was
 * not listening misses them, so each listener is told when listening (re)starts and must then
 * assume it missed some.
 */
public final class Notifications {

	private static final Logger log = LoggerFactory.getLogger(Notifications.class);

	private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");

	/** What a listener does with a signal, and when it may have missed some. */
	public interface Listener {

		void on(String payload);

		void listeningRestarted();
	}

	private final JdbcClient jdbc;

	private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	Notifications(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Listens on {@code channel} on this instance; signals sent before the listening connection
	 * has taken up the channel (within half a second of this call) are not seen.
	 */
	public void listen(String channel, Listener listener) {
		requireChannel(channel);
		listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
	}

	/** Sends {@code payload} (at most 7,000 bytes) to every instance, when the current transaction commits. */
	public void send(String channel, String payload) {
		requireChannel(channel);
		jdbc.sql("select pg_notify(:channel, :payload)").param("channel", channel).param("payload", payload).query().singleRow();
	}

	java.util.Set<String> channels() {
		return listeners.keySet();
	}

	void deliver(String channel, String payload) {
		for (Listener listener : listeners.getOrDefault(channel, List.of())) {
			try {
				listener.on(payload);
			}
			catch (RuntimeException ex) {
				log.warn("A listener on {} failed for {}", channel, payload, ex);
			}
		}
	}

	void restarted() {
		listeners.forEach((channel, list) -> list.forEach(listener -> {
			try {
				listener.listeningRestarted();
			}
			catch (RuntimeException ex) {
				// A listener that catches up from the database fails while it is away; it is told again on reconnecting.
				log.warn("A listener on {} could not catch up after listening (re)started: {}", channel, ex.toString());
			}
		}));
	}

	private static void requireChannel(String channel) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("Not a channel name: " + channel);
		}
	}
}
