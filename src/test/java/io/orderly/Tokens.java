package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens of the demo accounts from a running platform, got the way real clients get
 * them: people through the login page (authorization code with PKCE), the machine client
 * {@code shop} with client credentials. Every demo secret in tests is
 * {@link #PASSWORD} ({@code orderly.auth.demo.password} in application-test.yml). Tokens
 * are kept per port and account (they live an hour in tests).
 */
public final class Tokens {

	public static final String PASSWORD = "test-secret";

	public static final String REDIRECT = "http://127.0.0.1:8765/callback";

	private static final Map<String, String> cache = new ConcurrentHashMap<>();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private Tokens() {
	}

	/** An access token of {@code account} on the platform at {@code port}. */
	public static String of(int port, String account) {
		return cache.computeIfAbsent(port + "/" + account, k -> fetch(port, account));
	}

	/** Drops a kept token (it expired on a clock the test moved). */
	public static void forget(int port, String account) {
		cache.remove(port + "/" + account);
	}

	/** A new token (never cached): for tests that revoke or tamper with one. */
	public static String fresh(int port, String account) {
		return fetch(port, account);
	}

	private static String fetch(int port, String account) {
		return "shop".equals(account) ? clientCredentials(port, "shop") : login(port, account).accessToken();
	}

	public static String clientCredentials(int port, String client) {
		return field(clientCredentials(port, client, PASSWORD), "access_token");
	}

	/** The token endpoint's raw answer to a machine client with {@code secret}. */
	public static HttpResponse<String> clientCredentials(int port, String client, String secret) {
		return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(port, "/oauth2/token"))
			.header("Authorization", basic(client, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
	}

	/** What the token endpoint answered to a person's login: access and refresh token. */
	public record Login(String accessToken, String refreshToken) {
	}

	/** Logs {@code user} in through the login page and trades the code for tokens. */
	public static Login login(int port, String user) {
		return login(port, user, PASSWORD);
	}

	/** Logs {@code user} in with {@code password}. */
	public static Login login(int port, String user, String password) {
		return login(port, port, user, password);
	}

	/**
	 * Logs {@code user} in with its steps alternating between two instances, as behind a load
	 * balancer without sticky sessions: the authorization request, the form's post and the
	 * token request on {@code port}; the login page and the authorization's continuation on
	 * {@code otherPort}.
	 */
	public static Login login(int port, int otherPort, String user, String password) {
		HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		String verifier = random();
		String authorize = "/oauth2/authorize?response_type=code&client_id=orderly-web&scope=openid&redirect_uri="
				+ REDIRECT + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256&state=s";
		send(http, HttpRequest.newBuilder(uri(port, authorize)).GET());
		String page = send(http, HttpRequest.newBuilder(uri(otherPort, "/login")).GET()).body();
		Matcher csrf = CSRF.matcher(page);
		if (!csrf.find()) {
			throw new IllegalStateException("No CSRF token on the login page");
		}
		HttpResponse<String> loggedIn = send(http, form(port, "/login",
				"username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1))));
		String afterLogin = loggedIn.headers().firstValue("Location").orElse("");
		if (loggedIn.statusCode() != 302 || afterLogin.contains("error")) {
			throw new IllegalStateException("Login as " + user + " refused");
		}
		String location = send(http, HttpRequest.newBuilder(uri(otherPort, authorize)).GET()).headers()
			.firstValue("Location")
			.orElseThrow(() -> new IllegalStateException("No redirect with a code"));
		Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
		if (!code.find()) {
			throw new IllegalStateException("No code in " + location);
		}
		HttpResponse<String> tokens = send(http, form(port, "/oauth2/token",
				"grant_type=authorization_code&code=" + code.group(1) + "&redirect_uri=" + enc(REDIRECT)
						+ "&code_verifier=" + verifier)
			.header("Authorization", basic("orderly-web", PASSWORD)));
		return new Login(field(tokens, "access_token"), field(tokens, "refresh_token"));
	}

	/** Trades a refresh token for new tokens; the raw answer, for tests of rotation. */
	public static HttpResponse<String> refresh(int port, String refreshToken) {
		return send(HttpClient.newHttpClient(), form(port, "/oauth2/token",
				"grant_type=refresh_token&refresh_token=" + enc(refreshToken))
			.header("Authorization", basic("orderly-web", PASSWORD)));
	}

	/** Revokes a token at the issuer's revocation endpoint (RFC 7009), as a client logging out does. */
	public static HttpResponse<String> revoke(int port, String token, String typeHint) {
		return send(HttpClient.newHttpClient(), form(port, "/oauth2/revoke",
				"token=" + enc(token) + "&token_type_hint=" + enc(typeHint))
			.header("Authorization", basic("orderly-web", PASSWORD)));
	}

	static String field(HttpResponse<String> response, String name) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Token endpoint answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body()).get(name).asString();
	}

	private static HttpRequest.Builder form(int port, String path, String body) {
		return HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static URI uri(int port, String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private static String basic(String user, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String random() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
