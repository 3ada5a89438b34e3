package io.orderly.platform.web;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test endpoints that keep requests in flight until the test opens the gate, or fail for want of a connection. */
@RestController
public class GateController {

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private final Semaphore inside = new Semaphore(0);

	@GetMapping({ "/test/gate", "/v1/webhooks/test/gate" })
	String pass() throws InterruptedException {
		inside.release();
		gate.await(30, TimeUnit.SECONDS);
		return "passed";
	}

	@GetMapping("/test/no-connection")
	String noConnection() {
		throw new CannotGetJdbcConnectionException("Connection is not available, request timed out after 5000ms");
	}

	void close() {
		gate = new CountDownLatch(1);
		inside.drainPermits();
	}

	void open() {
		gate.countDown();
	}

	/** Waits until {@code requests} requests are held at the gate. */
	boolean awaitInside(int requests) throws InterruptedException {
		return inside.tryAcquire(requests, 10, TimeUnit.SECONDS);
	}
}
