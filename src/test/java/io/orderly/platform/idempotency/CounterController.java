package io.orderly.platform.idempotency;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orderly.platform.web.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test endpoint with an effect (a row per execution) behind the Idempotency-Key facility.
 * A request can be held in flight until the test releases it, refused after writing, failed
 * with a 500, or answered with success from a transaction marked for rollback.
 */
@RestController
public class CounterController {

	private final JdbcClient jdbc;

	private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

	private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

	CounterController(JdbcClient jdbc) {
		this.jdbc = jdbc;
		jdbc.sql("""
				create table if not exists public.counter_executions (
				    id bigint generated always as identity primary key, name text not null, amount int not null)""")
			.update();
	}

	record Increment(String name, int amount, String behaviour) {
	}

	record Executed(long execution, String name, int amount) {
	}

	@PostMapping("/test/counters")
	@Transactional
	ResponseEntity<Executed> increment(@RequestHeader("Idempotency-Key") String key, @RequestBody Increment increment)
			throws InterruptedException {
		long execution = jdbc.sql("insert into public.counter_executions (name, amount) values (:name, :amount) returning id")
			.param("name", increment.name())
			.param("amount", increment.amount())
			.query(Long.class)
			.single();
		if ("hold".equals(increment.behaviour())) {
			arrived.computeIfAbsent(increment.name(), n -> new CountDownLatch(1)).countDown();
			holds.computeIfAbsent(increment.name(), n -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
		}
		if ("refuse".equals(increment.behaviour())) {
			throw new ProblemException(HttpStatus.CONFLICT, "refused", "Refused", "Refused after writing.");
		}
		if ("roll-back".equals(increment.behaviour())) {
			// A participant gives up on the transaction, and the endpoint still answers success.
			TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
		}
		if ("fail".equals(increment.behaviour())) {
			throw new IllegalStateException("failed after writing");
		}
		return ResponseEntity.created(URI.create("/test/counters/" + execution))
			.body(new Executed(execution, increment.name(), increment.amount()));
	}

	public void awaitArrival(String name) throws InterruptedException {
		arrived.computeIfAbsent(name, n -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
	}

	public void release(String name) {
		holds.computeIfAbsent(name, n -> new CountDownLatch(1)).countDown();
	}

	public long executions(String name) {
		return jdbc.sql("select count(*) from public.counter_executions where name = :name")
			.param("name", name)
			.query(Long.class)
			.single();
	}
}
