package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Forged, tampered and misdirected tokens are refused with 401 and change nothing: each
 * attack is tried on a request that would place an order, and the customer's orders are
 * counted before and after.
 */
@IntegrationTest
class TokenValidationIntegrationTest {

	private static final String ISSUER = "http://orderly.test";

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	private RSAKey issuerKey() throws Exception {
		String jwk = JdbcClient.create(dataSource)
			.sql("select jwk from edge.signing_keys where active_from <= now() order by active_from desc limit 1")
			.query(String.class)
			.single();
		return RSAKey.parse(jwk);
	}

	private static JWTClaimsSet.Builder claims(String subject) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject(subject)
			.issuer(ISSUER)
			.audience("orderly")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())
			.claim("roles", List.of("customer"));
	}

	private static String sign(RSAKey key, String kid, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static String b64(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private Http.Response placeWith(String token, String customer) {
		String body = """
				{"items": [{"sku": "MUG", "quantity": 1}],
				 "shippingAddress": {"name": "M", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "tok_ok"}""";
		return Http.anonymous(port).post("/v1/orders", body,
				Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + token));
	}

	private void assertRefusedAndNothingStored(String token, String customer) {
		Http.Response response = placeWith(token, customer);
		assertThat(response.status()).as(response.body()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.body()).doesNotContain(token);
		assertThat(new Http(port).get("/v1/orders?customerId=" + customer).json().get("items").size()).isZero();
	}

	@Test
	void aTokenSignedByTheIssuerForThisAudienceIsAccepted() throws Exception {
		RSAKey key = issuerKey();
		String token = sign(key, key.getKeyID(), claims("mallory-ok").build());

		Http.Response response = Http.anonymous(port).send("/v1/orders", Map.of("Authorization", "Bearer " + token));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	@Test
	void refusesAnUnsignedToken() throws Exception {
		String customer = "mallory-" + UUID.randomUUID();
		String unsigned = b64("{\"alg\":\"none\"}") + "." + b64(claims(customer).build().toString()) + ".";
		assertRefusedAndNothingStored(unsigned, customer);
	}

	@Test
	void refusesAnHmacMadeWithTheIssuersPublicKey() throws Exception {
		String customer = "mallory-" + UUID.randomUUID();
		RSAKey key = issuerKey();
		String signingInput = b64("{\"alg\":\"HS256\",\"kid\":\"" + key.getKeyID() + "\"}") + "."
				+ b64(claims(customer).build().toString());
		for (byte[] secret : List.of(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
				key.toRSAPublicKey().getEncoded())) {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			String signature = Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
			assertRefusedAndNothingStored(signingInput + "." + signature, customer);
		}
	}

	@Test
	void refusesAKeyTheIssuerDoesNotHave() throws Exception {
		String customer = "mallory-" + UUID.randomUUID();
		RSAKey stranger = new RSAKeyGenerator(2048).generate();
		assertRefusedAndNothingStored(sign(stranger, "unknown-kid", claims(customer).build()), customer);
		assertRefusedAndNothingStored(sign(stranger, issuerKey().getKeyID(), claims(customer).build()), customer);
	}

	@Test
	void refusesATamperedPayload() throws Exception {
		String customer = "mallory-" + UUID.randomUUID();
		RSAKey key = issuerKey();
		String[] parts = sign(key, key.getKeyID(), claims(customer).build()).split("\\.");
		String promoted = b64(claims(customer).claim("roles", List.of("admin")).build().toString());
		assertRefusedAndNothingStored(parts[0] + "." + promoted + "." + parts[2], customer);
	}

	@Test
	void refusesAnotherIssuerOrAudienceEvenWhenSignedByTheIssuersKey() throws Exception {
		String customer = "mallory-" + UUID.randomUUID();
		RSAKey key = issuerKey();
		assertRefusedAndNothingStored(sign(key, key.getKeyID(), claims(customer).issuer("https://evil.example").build()),
				customer);
		assertRefusedAndNothingStored(sign(key, key.getKeyID(), claims(customer).audience("another-api").build()),
				customer);
		assertRefusedAndNothingStored(sign(key, key.getKeyID(),
				claims(customer).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()), customer);
	}

	@Test
	void refusesAGarbageOrMissingToken() {
		Http.Response garbage = Http.anonymous(port).send("/v1/orders", Map.of("Authorization", "Bearer not.a.jwt"));
		Http.Response missing = Http.anonymous(port).get("/v1/orders");

		assertThat(garbage.status()).isEqualTo(401);
		assertThat(garbage.header("WWW-Authenticate")).contains("invalid_token");
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(missing.json().get("type").asString()).isEqualTo("/problems/unauthenticated");
	}
}
