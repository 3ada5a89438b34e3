package io.orderly.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Each module owns its SQL: the migrations in {@code db/<module>/} create and change the
 * tables of schema {@code <module>}, with a Flyway history of their own. A module's code
 * reads and writes only its own schema.
 */
public final class ModuleMigrations {

	private static final Logger log = LoggerFactory.getLogger(ModuleMigrations.class);

	/** Schemas named other than their module: "order" is a reserved word in SQL. */
	private static final java.util.Map<String, String> SCHEMA_OWNERS = java.util.Map.of("orders", "order");

	private static final Pattern MODULE_FOLDER = Pattern.compile(".*/db/([a-z][a-z0-9_]*)/V[^/]+\\.sql$");

	private ModuleMigrations() {
	}

	/** The modules that ship migrations, found on the class path. */
	public static Set<String> modulesWithMigrations() {
		try {
			Set<String> modules = new TreeSet<>();
			for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:db/*/V*.sql")) {
				Matcher matcher = MODULE_FOLDER.matcher(resource.getURL().toString());
				if (matcher.matches()) {
					modules.add(matcher.group(1));
				}
			}
			return modules;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Migrates the schema of every module that {@code enabled} accepts: the platform's and the
	 * edge's first, then the modules' side by side (each has its own schema and history, and
	 * depends only on the platform's; a restart spends its time on round trips, not CPU).
	 */
	public static void migrate(DataSource dataSource, Predicate<String> enabled) {
		Set<String> modules = modulesWithMigrations();
		for (String alwaysOn : List.of("platform", "edge")) {
			if (modules.remove(alwaysOn)) {
				migrate(dataSource, alwaysOn);
			}
		}
		List<String> schemas = modules.stream()
			.filter(schema -> enabled.test(SCHEMA_OWNERS.getOrDefault(schema, schema)))
			.toList();
		try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> migrations = schemas.stream()
				.<Future<?>>map(schema -> executor.submit(() -> migrate(dataSource, schema)))
				.toList();
			for (Future<?> migration : migrations) {
				migration.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while migrating", ex);
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
		}
	}

	private static void migrate(DataSource dataSource, String module) {
		var result = Flyway.configure()
				.dataSource(dataSource)
				.schemas(module)
				.defaultSchema(module)
				.createSchemas(true)
				.locations("classpath:db/" + module)
				.table("flyway_schema_history")
				.load()
				.migrate();
		if (result.migrationsExecuted > 0) {
			log.info("Schema {}: {} migration(s) applied, now at version {}", module, result.migrationsExecuted,
					result.targetSchemaVersion);
		}
	}
}
