package io.orderly.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * CPU time of this JVM and of the PostgreSQL server it talks to (the postmaster's children),
 * which unlike wall time hardly depends on what else runs on the machine.
 */
public final class ProcessCpu {

	/** CPU used since a measurement started. */
	public record Usage(long jvmNanos, long postgresNanos) {

		public long totalNanos() {
			return jvmNanos + postgresNanos;
		}
	}

	private final long postmaster;

	private final long jvmStart;

	private final long postgresStart;

	private ProcessCpu(long postmaster) {
		this.postmaster = postmaster;
		this.jvmStart = jvmNanos();
		this.postgresStart = postgresNanos();
	}

	public static ProcessCpu ofThisJvmAndPostgres(JdbcClient jdbc) {
		int backend = jdbc.sql("select pg_backend_pid()").query(Integer.class).single();
		return new ProcessCpu(Long.parseLong(stat(backend)[3]));
	}

	public Usage since() {
		return new Usage(jvmNanos() - jvmStart, postgresNanos() - postgresStart);
	}

	private static long jvmNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private long postgresNanos() {
		long ticks = 0;
		try (var processes = Files.list(Path.of("/proc"))) {
			for (var dir : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
				try {
					String[] fields = stat(Long.parseLong(dir.getFileName().toString()));
					if (Long.parseLong(fields[3]) == postmaster) {
						ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
					}
				}
				catch (RuntimeException gone) {
					// the process ended while we looked
				}
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return ticks * 10_000_000L;
	}

	/** The fields of /proc/pid/stat after the command name (index 0 is the pid). */
	private static String[] stat(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			String[] fields = new String[rest.length + 2];
			fields[0] = Long.toString(pid);
			fields[1] = "comm";
			System.arraycopy(rest, 0, fields, 2, rest.length);
			return fields;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}
}
