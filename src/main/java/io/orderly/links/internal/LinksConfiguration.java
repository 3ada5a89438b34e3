package io.orderly.links.internal;

import java.net.URI;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Notifications;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("links")
@EnableConfigurationProperties(LinksProperties.class)
class LinksConfiguration {

	@Bean
	LinkCodes linkCodes(Links links, Clock clock) {
		return new LinkCodes(clock, links.nextGeneratorNumber());
	}

	@Bean
	OwnAddress ownAddress(LinksProperties properties, Environment environment) {
		return new OwnAddress(properties.baseUrl(), () -> environment.getProperty("local.server.port", Integer.class,
				environment.getProperty("server.port", Integer.class, 8080)));
	}

	@Bean
	LinkTargets linkTargets(LinksProperties properties, OwnAddress own) {
		Set<String> hosts = new HashSet<>();
		URI base = properties.baseUrl();
		if (base != null) {
			int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
			hosts.add(base.getHost().toLowerCase(Locale.ROOT) + ":" + port);
		}
		properties.ownHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
		return new LinkTargets(hosts, own::isThisServer);
	}

	@Bean
	SharedLinkCache sharedLinkCache(LinksProperties properties, MeterRegistry meters) {
		LinksProperties.Redis redis = properties.redis();
		return redis.enabled() ? new RedisLinkCache(redis.url(), redis.timeout(), redis.keyPrefix(), meters)
				: SharedLinkCache.NONE;
	}

	@Bean
	LinkCache linkCache(Links links, Clock clock, LinksProperties properties, MeterRegistry meters,
			Notifications notifications, SharedLinkCache shared) {
		return new LinkCache(links, clock, properties, meters, notifications, shared);
	}

	@Bean(destroyMethod = "flush")
	ClickCounter clickCounter(JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
		return new ClickCounter(jdbc, clock, meters);
	}

	@Bean
	LinkRetention linkRetention(Links links, TransactionTemplate transactions, LinkCache cache,
			LinksProperties properties, Clock clock) {
		return new LinkRetention(links, transactions, cache, properties, clock);
	}

	@Bean
	LinksSchedule linksSchedule(ClickCounter clicks, LinkRetention retention) {
		return new LinksSchedule(clicks, retention);
	}

	/** The module's background work. */
	static class LinksSchedule {

		private final ClickCounter clicks;

		private final LinkRetention retention;

		LinksSchedule(ClickCounter clicks, LinkRetention retention) {
			this.clicks = clicks;
			this.retention = retention;
		}

		@Scheduled(fixedDelayString = "${orderly.links.click-flush-interval:1s}")
		void flushClicks() {
			clicks.flush();
		}

		@Scheduled(fixedDelayString = "${orderly.links.purge-interval:1m}", initialDelayString = "${orderly.links.purge-interval:1m}")
		void purge() {
			retention.purge();
		}
	}
}
