package io.orderly.links;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.orderly.links.internal.ClickCounter;
import io.orderly.links.internal.LinkCache;
import io.orderly.links.internal.LinkCodes;
import io.orderly.links.internal.LinkTargets;
import io.orderly.links.internal.Links;
import io.orderly.links.internal.OwnAddress;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The URL shortener's API: create, resolve, read, count and delete short links. */
@Component
@ConditionalOnModule("links")
public class LinkManagement {

	/** Codes and aliases: what may appear after /s/. */
	public static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{3,64}");

	/** Aliases that would read as a path of ours rather than a link. */
	private static final Set<String> RESERVED = Set.of("s", "v1", "api", "admin", "actuator", "hello", "health",
			"swagger-ui", "v3", "api-docs", "psp", "static", "login", "logout", "links", "stats");

	private final Links links;

	private final LinkCodes codes;

	private final LinkTargets targets;

	private final LinkCache cache;

	private final ClickCounter clicks;

	private final OwnAddress own;

	private final JdbcClient jdbc;

	private final Clock clock;

	LinkManagement(Links links, LinkCodes codes, LinkTargets targets, LinkCache cache, ClickCounter clicks,
			OwnAddress own, JdbcClient jdbc, Clock clock) {
		this.links = links;
		this.codes = codes;
		this.targets = targets;
		this.cache = cache;
		this.clicks = clicks;
		this.own = own;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** The latest expiry accepted: PostgreSQL's timestamptz ends in the year 294276, Java's Instant far later. */
	private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

	/**
	 * Creates a link. Refused with 422 (storing nothing) for a target that is not a safe http(s)
	 * URL or points back at the shortener, a malformed or reserved alias, or an expiry in the
	 * past or after the year 9999; with 409 for an alias that is or was ever in use.
	 */
	@Transactional
	public LinkView create(CreateLink request) {
		String url;
		try {
			url = targets.normalise(request.url());
		}
		catch (LinkTargets.InvalidTarget ex) {
			throw invalid("url", ex.getMessage());
		}
		Instant now = clock.instant();
		if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
			throw invalid("expiresAt", "must be in the future");
		}
		if (request.expiresAt() != null && request.expiresAt().isAfter(LATEST_EXPIRY)) {
			throw invalid("expiresAt", "must be before the year 10000");
		}
		if (request.alias() != null) {
			if (!ALIAS.matcher(request.alias()).matches()) {
				throw invalid("alias", "must be 3 to 64 letters, digits, '-' or '_'");
			}
			if (RESERVED.contains(request.alias().toLowerCase(java.util.Locale.ROOT))) {
				throw invalid("alias", "is reserved");
			}
			Links.Row link = new Links.Row(request.alias(), url, true, now, request.expiresAt(), null, null,
					request.owner());
			if (!links.insert(link)) {
				throw new ProblemException(HttpStatus.CONFLICT, "alias-taken", "Alias taken",
						"The alias " + request.alias() + " is or was in use; aliases are never given out twice.");
			}
			cache.evict(link.code());
			return view(link);
		}
		for (int attempt = 0; attempt < 5; attempt++) {
			Links.Row link = new Links.Row(codes.next(), url, false, now, request.expiresAt(), null, null,
					request.owner());
			if (links.insert(link)) {
				cache.evict(link.code());
				return view(link);
			}
		}
		throw new IllegalStateException("Five generated codes in a row were taken");
	}

	/** What {@code /s/{code}} answers; counts the click when it redirects. */
	public LinkCache.Target resolve(String code) {
		if (!CODE.matcher(code).matches()) {
			return null;
		}
		LinkCache.Target target = cache.resolve(code);
		if (target != null && !target.goneAt(clock.instant())) {
			clicks.click(code);
		}
		return target;
	}

	public boolean gone(LinkCache.Target target) {
		return target.goneAt(clock.instant());
	}

	@Transactional(readOnly = true)
	public Optional<LinkView> find(String code) {
		if (!CODE.matcher(code).matches()) {
			return Optional.empty();
		}
		return links.find(code).map(this::view);
	}

	@Transactional(readOnly = true)
	public Optional<LinkStats> stats(String code) {
		if (!CODE.matcher(code).matches() || links.find(code).isEmpty()) {
			return Optional.empty();
		}
		Map<String, Object> row = jdbc.sql("select clicks, last_click_at from links.clicks where code = :code")
			.param("code", code)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElse(Map.of("clicks", 0L));
		long flushed = ((Number) row.get("clicks")).longValue();
		Timestamp last = (Timestamp) row.get("last_click_at");
		return Optional.of(new LinkStats(flushed + clicks.unflushed(code), last == null ? null : last.toInstant()));
	}

	/** Deletes a link on every instance (410 from then on); its code stays taken. False when unknown. */
	@Transactional
	public boolean delete(String code) {
		if (!CODE.matcher(code).matches() || !links.delete(code, clock.instant())) {
			return false;
		}
		cache.evictEverywhere(code);
		return true;
	}

	private LinkView view(Links.Row link) {
		boolean live = link.deletedAt() == null && link.purgedAt() == null;
		return new LinkView(link.code(), own.base() + "/s/" + link.code(), live ? link.url() : null,
				link.createdAt(), link.expiresAt(), link.owner());
	}

	private static ProblemException invalid(String field, String message) {
		return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-link", "Invalid link",
				"The link cannot be created: " + field + " " + message + ".",
				Map.of("errors", List.of(new Problems.FieldError(field, message))));
	}
}
