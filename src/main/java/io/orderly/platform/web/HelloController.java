package io.orderly.platform.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's trivial endpoint: no database, no cache, same server stack and filters as
 * every other endpoint. Load runs measure it as the ceiling the real endpoints are compared with.
 */
@RestController
class HelloController {

	@GetMapping(path = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
	String hello() {
		return "hello";
	}
}
