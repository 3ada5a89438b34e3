package io.orderly;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Sends real requests and checks each request and its answer (status, headers, body, success
 * and problem alike) against an OpenAPI document a server serves; {@link #violations()} lists
 * every disagreement. A request the document does not allow, refused by the server with a 4xx,
 * is an agreement.
 */
public final class OpenApiContract {

	private final OpenApiInteractionValidator validator;

	private final List<String> violations = new ArrayList<>();

	public OpenApiContract(String document) {
		this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
	}

	/**
	 * Sends {@code method pathAndQuery} with {@code headers} (JSON content type added for a body,
	 * a fresh Idempotency-Key for anything but GET and DELETE unless given) and checks it.
	 * {@code bearer} is the token {@code http} sends, or null.
	 */
	public Http.Response call(Http http, String bearer, String method, String pathAndQuery, String body,
			Map<String, String> given) {
		Map<String, String> headers = new LinkedHashMap<>(given);
		if (body != null) {
			headers.putIfAbsent("Content-Type", "application/json");
		}
		if (!"GET".equals(method) && !"DELETE".equals(method)) {
			headers.putIfAbsent("Idempotency-Key", UUID.randomUUID().toString());
		}
		Http.Response response = switch (method) {
			case "GET" -> http.send(pathAndQuery, headers);
			case "POST" -> http.post(pathAndQuery, body == null ? "" : body, headers);
			case "PUT" -> http.put(pathAndQuery, body, headers);
			case "DELETE" -> http.delete(pathAndQuery);
			default -> throw new IllegalArgumentException(method);
		};
		int query = pathAndQuery.indexOf('?');
		String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
		SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
		headers.forEach(request::withHeader);
		if (bearer != null) {
			request.withAuthorization("Bearer " + bearer);
		}
		if (body != null) {
			request.withBody(body);
		}
		if (query >= 0) {
			for (String pair : pathAndQuery.substring(query + 1).split("&")) {
				String[] kv = pair.split("=", 2);
				request.withQueryParam(kv[0], kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
			}
		}
		SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status());
		response.headers().forEach((name, values) -> answer.withHeader(name, values));
		if (response.body() != null && !response.body().isEmpty()) {
			answer.withBody(response.body());
		}
		ValidationReport report = validator.validate(request.build(), answer.build());
		for (ValidationReport.Message message : report.getMessages()) {
			boolean refusedAsDocumented = message.getKey().startsWith("validation.request.") && response.status() >= 400
					&& response.status() < 500;
			if (message.getLevel() == ValidationReport.Level.ERROR && !refusedAsDocumented) {
				violations.add(method + " " + pathAndQuery + " -> " + response.status() + ": " + message.getKey() + ": "
						+ message.getMessage());
			}
		}
		return response;
	}

	public List<String> violations() {
		return violations;
	}
}
