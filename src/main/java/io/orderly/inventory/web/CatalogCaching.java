package io.orderly.inventory.web;

import io.orderly.inventory.internal.InventoryProperties;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * Catalog reads are the one API answer a client may keep: {@code Cache-Control: private,
 * max-age=60} (see {@code orderly.inventory.catalog-max-age}) and a strong {@code ETag}, the
 * hash of the very bytes sent; a read with a matching {@code If-None-Match} is answered 304
 * without a body. Every other API answer is {@code private, no-store} (the edge's rule).
 *
 * <p>{@code private}, not {@code public}: a product is the same for every caller, but the
 * catalog needs a token, and a shared cache (a CDN, a proxy) serves what it keeps to anyone
 * asking for the URL without checking one; {@code public} would make the catalog readable
 * without a token wherever such a cache stands. If the catalog is ever opened to
 * anonymous readers, {@code public} is the right choice.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("inventory")
class CatalogCaching {

	/** Spring's ETag filter on catalog paths: only 2xx answers to GET and HEAD get an ETag. */
	@Bean
	FilterRegistrationBean<ShallowEtagHeaderFilter> catalogEtags() {
		FilterRegistrationBean<ShallowEtagHeaderFilter> etags = new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
		etags.addUrlPatterns("/v1/products/*");
		etags.setName("catalogEtags");
		return etags;
	}

	static CacheControl of(InventoryProperties properties) {
		return CacheControl.maxAge(properties.catalogMaxAge()).cachePrivate();
	}
}
