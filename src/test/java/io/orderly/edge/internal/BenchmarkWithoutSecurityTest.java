package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

/** The open API of bin/bench-edge starts only on a throw-away embedded database. */
class BenchmarkWithoutSecurityTest {

	private static final String TEMP = System.getProperty("java.io.tmpdir");

	@Test
	void refusesToStartOnTheDefaultDataFolderOrAnyFolderOutsideTheTempFolder() {
		// The platform's own default (application.yml): the developer's kept data, relative to the
		// working folder (which may itself be under the temp folder, as a CI clone is: hence a temp
		// folder of its own here).
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(true, "./data/postgres",
				TEMP + "/orderly-bench-elsewhere"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("throw-away");
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(platform("/var/lib/orderly/postgres")))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void refusesTheTempFolderItselfAPathThatOnlyLooksUnderItAndALinkFromItToKeptData(@TempDir Path kept)
			throws Exception {
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(true, TEMP, TEMP))
			.isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(true, TEMP + "/../home/shop/postgres",
				TEMP))
			.isInstanceOf(IllegalStateException.class);
		// kept stands for a data folder elsewhere: a temp folder of its own plays that part.
		Path link = Files.createTempDirectory("bench-link").resolve("postgres");
		Files.createSymbolicLink(link, kept);
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(true, link.toString(),
				link.getParent().toString()))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void refusesAnExternalDatabaseWhateverTheFolder() {
		MockEnvironment external = platform(TEMP + "/bench/postgres").withProperty("orderly.database.embedded", "false");
		assertThatThrownBy(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(external))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("embedded");
	}

	@Test
	void startsOnAFolderUnderTheTempFolderAsLoadRunsMakeOrOnTheLibrarysOwnTemporaryOne() {
		assertThatCode(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(platform(TEMP + "/tmp.x1y2/postgres")))
			.doesNotThrowAnyException();
		assertThatCode(() -> BenchmarkWithoutSecurity.requireThrowAwayDatabase(platform("")))
			.doesNotThrowAnyException();
	}

	private static MockEnvironment platform(String dataDirectory) {
		return new MockEnvironment().withProperty("orderly.database.data-directory", dataDirectory);
	}
}
