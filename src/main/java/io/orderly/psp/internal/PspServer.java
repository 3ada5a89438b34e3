package io.orderly.psp.internal;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The simulator's own HTTP listener: a second Tomcat connector on {@code orderly.psp.port},
 * next to the platform's. Going down closes its server socket, so clients see a refused
 * connection, as with a provider that is really gone; coming up binds the port again.
 *
 * <p>It also drops responses on request ({@link #dropResponse}): the connection is closed
 * before a byte of the answer leaves, so the client cannot tell what happened.
 */
public class PspServer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private static final Logger log = LoggerFactory.getLogger(PspServer.class);

	private static final String DROP_RESPONSE = PspServer.class.getName() + ".dropResponse";

	private final int port;

	private volatile Connector connector;

	private volatile boolean down;

	private final String address;

	PspServer(int port, String address) {
		this.port = port;
		this.address = address;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		Connector psp = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		psp.setPort(port);
		psp.setProperty("address", address);
		// Bind on start and unbind on stop, so that "down" refuses connections.
		psp.setProperty("bindOnInit", "false");
		if (psp.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
			protocol.setExecutor(new VirtualThreadExecutor("psp-"));
		}
		factory.addAdditionalConnectors(psp);
		factory.addContextValves(new DropResponseValve());
		this.connector = psp;
	}

	int port() {
		return port;
	}

	/** Whether a request came in through the simulator's port. */
	boolean servedHere(HttpServletRequest request) {
		return request.getLocalPort() == port;
	}

	boolean isDown() {
		return down;
	}

	/** Closes or reopens the simulator's port. */
	synchronized void setDown(boolean down) {
		if (this.down == down) {
			return;
		}
		this.down = down;
		Connector psp = connector;
		if (psp == null) {
			// No web server in this context (a mock environment): requests are refused by the filter.
			return;
		}
		try {
			if (down) {
				psp.stop();
				log.info("PSP simulator is down: port {} refuses connections", port);
			}
			else {
				psp.start();
				log.info("PSP simulator is up again on port {}", port);
			}
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException("Could not " + (down ? "stop" : "start") + " the PSP port " + port, ex);
		}
	}

	/** Asks for the connection to be closed instead of answering this request. */
	static void dropResponse(HttpServletRequest request) {
		request.setAttribute(DROP_RESPONSE, Boolean.TRUE);
	}

	/** Closes the connection of a request whose response is to be lost, before the answer leaves. */
	static final class DropResponseValve extends ValveBase {

		DropResponseValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			getNext().invoke(request, response);
			if (request.getAttribute(DROP_RESPONSE) != null) {
				response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
			}
		}
	}
}
