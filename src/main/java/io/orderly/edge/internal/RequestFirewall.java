package io.orderly.edge.internal;

import io.orderly.platform.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall (no encoded or doubled slashes, no {@code ..}, no NUL or
 * other control characters in the path, header names or header values), and its refusals as
 * 400 problems instead of an empty answer.
 *
 * <p>Header names and values are checked with a loop instead of the firewall's default regular
 * expression: same rule (assigned characters, no control characters), but the expression ran
 * on every read of every header (a bearer token is about a thousand characters, read several
 * times per request) and cost 7% of a read's CPU (bin/bench-edge --profile).
 */
final class RequestFirewall {

	private RequestFirewall() {
	}

	static StrictHttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(RequestFirewall::assignedAndNotControl);
		firewall.setAllowedHeaderValues(RequestFirewall::assignedAndNotControl);
		return firewall;
	}

	static RequestRejectedHandler problems() {
		return (request, response, rejected) -> {
			if (!response.isCommitted()) {
				Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected",
						"The request's path or headers hold characters or sequences this API does not accept "
								+ "(encoded slashes or dots, a backslash, a semicolon, NUL or other control characters)."));
			}
		};
	}

	/** What {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} matches, one character after the other. */
	static boolean assignedAndNotControl(String text) {
		for (int i = 0; i < text.length();) {
			int c = text.codePointAt(i);
			if (!Character.isDefined(c) || Character.getType(c) == Character.CONTROL) {
				return false;
			}
			i += Character.charCount(c);
		}
		return true;
	}
}
