package check;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Schedules one call through gruelbox transaction-outbox 4.2.268 (its own TransactionManager, no Spring). */
public class Check {
	public static class Target {
		public void handle(String value) {
			System.out.println("HANDLED " + value);
		}
	}

	public static void main(String[] args) throws Exception {
		try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
			TransactionManager tm = TransactionManager.fromDataSource(pg.getPostgresDatabase());
			TransactionOutbox outbox = TransactionOutbox.builder()
				.transactionManager(tm)
				.persistor(Persistor.forDialect(Dialect.POSTGRESQL_9))
				.build();
			tm.inTransaction(() -> outbox.schedule(Target.class).handle("x"));
			Thread.sleep(2000);
			System.out.println("DONE");
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			System.exit(1);
		}
		System.exit(0); // the default submitter's pool threads are not daemons
	}
}
