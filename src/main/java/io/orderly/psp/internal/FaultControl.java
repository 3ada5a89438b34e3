package io.orderly.psp.internal;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The simulator's control plane: sets and resets the faults, opens and closes its port, and
 * says what it has injected so far.
 */
public class FaultControl {

	private final Faults faults;

	private final PspServer server;

	private final Delays delays;

	private final String baseUrl;

	FaultControl(Faults faults, PspServer server, Delays delays, String baseUrl) {
		this.faults = faults;
		this.server = server;
		this.delays = delays;
		this.baseUrl = baseUrl;
	}

	public FaultSettings current() {
		return faults.settings();
	}

	public synchronized FaultSettings set(FaultSettings settings) {
		faults.set(settings);
		server.setDown(settings.down());
		return settings;
	}

	/** Back to no faults: the port opens and every hanging request is answered now. */
	public synchronized FaultSettings reset() {
		FaultSettings none = set(FaultSettings.none());
		delays.releaseAll();
		return none;
	}

	public PspStatus status() {
		return new PspStatus(baseUrl, server.port(), !server.isDown(), delays.waiting(), faults.injected());
	}

	@EventListener(ApplicationReadyEvent.class)
	void applyStartupFaults() {
		server.setDown(faults.settings().down());
	}
}
