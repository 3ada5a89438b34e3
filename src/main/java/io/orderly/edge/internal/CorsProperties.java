package io.orderly.edge.internal;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser origins may call the API from their own pages (CORS).
 *
 * @param allowedOrigins origins such as {@code https://shop.example.com}; empty (the default):
 *        no cross-origin call is allowed and no CORS header is sent
 */
@ConfigurationProperties("orderly.http.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

	public CorsProperties {
		allowedOrigins = List.copyOf(allowedOrigins);
	}
}
