package io.orderly.links.internal;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTargetsTest {

	private final LinkTargets targets = new LinkTargets(Set.of("sho.rt:443", "localhost:8080", "go.example.org"));

	@ParameterizedTest
	@CsvSource({
			"https://Example.COM/a?b=c, https://example.com/a?b=c",
			"HTTP://example.com:80, http://example.com/",
			"https://example.com:443/x, https://example.com/x",
			"https://example.com:8443/x#top, https://example.com:8443/x#top",
			"'  https://example.com/padded  ', https://example.com/padded",
			"https://bücher.de/katalog, https://xn--bcher-kva.de/katalog",
			"http://localhost:9090/other-app, http://localhost:9090/other-app" })
	void normalisesTargets(String given, String normal) {
		assertThat(targets.normalise(given)).isEqualTo(normal);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://example.com/file", "javascript:alert(1)", "mailto:a@example.com", "data:text/html,hi",
			"example.com/no-scheme", "https://", "https://user:pw@example.com/", "http://[::1", "https://exa mple.com/",
			"https://sho.rt/s/abc", "https://SHO.RT:443/x", "http://localhost:8080/s/abcdefg", "https://go.example.org/",
			"   " })
	void refusesUnsafeOrLoopingTargets(String given) {
		assertThatThrownBy(() -> targets.normalise(given)).isInstanceOf(LinkTargets.InvalidTarget.class);
	}

	@org.junit.jupiter.api.Test
	void refusesTargetsOverTheLengthLimit() {
		String url = "https://example.com/" + "a".repeat(LinkTargets.MAX_LENGTH);
		assertThatThrownBy(() -> targets.normalise(url)).isInstanceOf(LinkTargets.InvalidTarget.class)
			.hasMessageContaining("at most");
	}
}
