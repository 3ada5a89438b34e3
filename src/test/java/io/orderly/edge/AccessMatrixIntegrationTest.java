package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Walks the role matrix of docs/access.md: every operation of the served OpenAPI document
 * has a row, and every row answers every role (and no credentials at all) as the matrix
 * says: 401 and 403 as problems exactly where written, never a 5xx anywhere.
 */
@IntegrationTest
class AccessMatrixIntegrationTest {

	/** The matrix's columns and who plays each role. */
	private static final Map<String, String> ACCOUNTS = accounts();

	@LocalServerPort
	int port;

	record Row(String method, String path, Map<String, String> expected) {
	}

	private static Map<String, String> accounts() {
		Map<String, String> accounts = new LinkedHashMap<>();
		accounts.put("anonymous", null);
		accounts.put("customer", "alice");
		accounts.put("support", "support");
		accounts.put("operator", "operator");
		accounts.put("admin", "admin");
		accounts.put("service", "shop");
		return accounts;
	}

	@Test
	void everyOperationOfTheServedApiHasARowInTheMatrix() throws IOException {
		JsonNode paths = Http.anonymous(port).get("/v3/api-docs").json().get("paths");
		Set<String> served = new TreeSet<>();
		for (var path : paths.properties()) {
			for (var operation : path.getValue().properties()) {
				// The test suite's own controllers (one stands for a webhook).
				if (!path.getKey().startsWith("/test/") && !path.getKey().startsWith("/v1/webhooks/test/")) {
					served.add(operation.getKey().toUpperCase() + " " + path.getKey());
				}
			}
		}
		Set<String> documented = new TreeSet<>();
		matrix().forEach(row -> documented.add(row.method() + " " + row.path()));
		assertThat(served).isNotEmpty();
		assertThat(documented).containsAll(served);
	}

	@Test
	void everyRoleGetsWhatTheMatrixSays() throws IOException {
		List<String> wrong = new ArrayList<>();
		for (Row row : matrix()) {
			row.expected().forEach((column, expected) -> {
				String account = ACCOUNTS.get(column);
				Http http = account == null ? Http.anonymous(port) : Http.as(port, account);
				Http.Response response = call(http, row);
				String outcome = row.method() + " " + row.path() + " as " + column + ": " + response.status();
				if (response.status() >= 500) {
					wrong.add(outcome + " (a 5xx)");
				}
				else if (expected.equals("401") || expected.equals("403")) {
					if (response.status() != Integer.parseInt(expected)
							|| !"application/problem+json".equals(response.header("Content-Type"))) {
						wrong.add(outcome + ", expected a " + expected + " problem");
					}
					if (expected.equals("401") && !String.valueOf(response.header("WWW-Authenticate")).startsWith("Bearer")) {
						wrong.add(outcome + " without WWW-Authenticate: Bearer");
					}
				}
				else if (expected.equals("404")) {
					if (response.status() != 404) {
						wrong.add(outcome + ", expected 404");
					}
				}
				else if (expected.equals("signed")) {
					boolean ownSignatureCheck = response.status() == 401
							&& response.body().contains("/problems/invalid-signature");
					if (response.status() == 403 || (response.status() == 401 && !ownSignatureCheck)) {
						wrong.add(outcome + ", expected to reach the endpoint's own signature check: " + response.body());
					}
				}
				else if (response.status() == 401 || response.status() == 403) {
					wrong.add(outcome + ", expected to pass the edge (" + expected + "): " + response.body());
				}
			});
		}
		assertThat(wrong).isEmpty();
	}

	private static Http.Response call(Http http, Row row) {
		String path = row.path().replaceAll("\\{[^}]+}", "x" + UUID.randomUUID().toString().substring(0, 8));
		Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
		return switch (row.method()) {
			case "GET" -> http.send(path, Map.of());
			case "DELETE" -> http.delete(path);
			case "POST" -> http.post(path, "{}", headers);
			case "PUT" -> http.put(path, "{}", headers);
			default -> throw new IllegalArgumentException(row.method());
		};
	}

	static List<Row> matrix() throws IOException {
		List<Row> rows = new ArrayList<>();
		List<String> columns = null;
		for (String line : Files.readAllLines(Path.of("docs/access.md"))) {
			if (!line.startsWith("|") || line.startsWith("|---")) {
				continue;
			}
			List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|")).stream().map(String::trim).toList();
			if (cells.getFirst().equals("method")) {
				columns = cells.subList(2, cells.size());
				assertThat(columns).containsExactlyElementsOf(ACCOUNTS.keySet());
				continue;
			}
			Map<String, String> expected = new LinkedHashMap<>();
			for (int i = 0; i < columns.size(); i++) {
				expected.put(columns.get(i), cells.get(i + 2));
			}
			rows.add(new Row(cells.get(0), cells.get(1), expected));
		}
		assertThat(rows).hasSizeGreaterThan(40);
		return rows;
	}
}
