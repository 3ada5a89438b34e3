package io.orderly.links.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The links table. */
@Component
@ConditionalOnModule("links")
public class Links {

	private final JdbcClient jdbc;

	Links(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A link row; {@code url} is null once purged. */
	public record Row(String code, String url, boolean custom, Instant createdAt, Instant expiresAt, Instant deletedAt,
			Instant purgedAt, String owner) {

		public boolean goneAt(Instant now) {
			return deletedAt != null || purgedAt != null || (expiresAt != null && !now.isBefore(expiresAt));
		}
	}

	/** Stores a new link; false when the code is taken (by a live, expired, deleted or purged link). */
	public boolean insert(Row link) {
		return jdbc.sql("""
				insert into links.links (code, url, custom, created_at, expires_at, owner)
				values (:code, :url, :custom, :createdAt, :expiresAt, :owner)
				on conflict (code) do nothing""")
			.param("code", link.code())
			.param("url", link.url())
			.param("custom", link.custom())
			.param("createdAt", Timestamp.from(link.createdAt()))
			.param("expiresAt", link.expiresAt() == null ? null : Timestamp.from(link.expiresAt()))
			.param("owner", link.owner())
			.update() == 1;
	}

	public Optional<Row> find(String code) {
		return jdbc.sql("select * from links.links where code = :code").param("code", code).query(Links::row).optional();
	}

	/** Marks a link deleted; false when there is no such link. */
	public boolean delete(String code, Instant now) {
		return jdbc.sql("update links.links set deleted_at = coalesce(deleted_at, :now) where code = :code")
			.param("now", Timestamp.from(now))
			.param("code", code)
			.update() == 1;
	}

	/**
	 * Clears the target of up to {@code limit} links deleted or expired before {@code before},
	 * skipping rows that others hold; returns their codes.
	 */
	public List<String> purge(Instant before, Instant now, int limit) {
		return jdbc.sql("""
				update links.links set url = null, purged_at = :now
				where code in (
				    select code from links.links
				    where purged_at is null and coalesce(deleted_at, expires_at) < :before
				    order by coalesce(deleted_at, expires_at) limit :limit for update skip locked)
				returning code""")
			.param("now", Timestamp.from(now))
			.param("before", Timestamp.from(before))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/** A generator number for this instance's {@link LinkCodes}. */
	public long nextGeneratorNumber() {
		return jdbc.sql("select nextval('links.generators')").query(Long.class).single();
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getString("code"), rs.getString("url"), rs.getBoolean("custom"), instant(rs, "created_at"),
				instant(rs, "expires_at"), instant(rs, "deleted_at"), instant(rs, "purged_at"), rs.getString("owner"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return timestamp == null ? null : timestamp.toInstant();
	}
}
