package io.orderly.links.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Clears the targets of links deleted or expired longer than the retention ago, a batch per
 * short transaction (rows others hold are skipped, never waited for), so redirects, which
 * never lock, are not held up. The code rows stay, keeping the codes taken forever.
 */
public class LinkRetention {

	private static final Logger log = LoggerFactory.getLogger(LinkRetention.class);

	private final Links links;

	private final TransactionTemplate transactions;

	private final LinkCache cache;

	private final LinksProperties properties;

	private final Clock clock;

	public LinkRetention(Links links, TransactionTemplate transactions, LinkCache cache,
			LinksProperties properties, Clock clock) {
		this.links = links;
		this.transactions = transactions;
		this.cache = cache;
		this.properties = properties;
		this.clock = clock;
	}

	/** Purges every link due; returns how many. */
	public int purge() {
		int purged = 0;
		while (true) {
			Instant now = clock.instant();
			List<String> batch = transactions.execute(status -> {
				List<String> codes = links.purge(now.minus(properties.retention()), now, properties.purgeBatch());
				codes.forEach(cache::evictEverywhere);
				return codes;
			});
			purged += batch.size();
			if (batch.size() < properties.purgeBatch()) {
				break;
			}
		}
		if (purged > 0) {
			log.info("Purged {} expired or deleted link(s); their codes stay taken", purged);
		}
		return purged;
	}
}
