#!/usr/bin/env bash
# Applies one deliberate bug at a time to a copy of the committed tree and runs the test that
# must catch it; prints CAUGHT or MISSED per bug. Each guarantee's test must be seen to fail.
# Usage: dev/mutants.sh [name regex]   (about 15 minutes on 2 cores; needs the Maven cache of one
# build; the links-redis mutants need a Redis on 127.0.0.1:6379, as .ci/run does)
#        dev/mutants.sh --check        (seconds: only that every mutant's pattern is still in the
# working tree, so a refactoring cannot silently retire a guarantee's mutant; .ci/run runs it)
export ORDERLY_TEST_REDIS=required
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/bin/java-home"
WORK=${MUTANTS_DIR:-/tmp/orderly-mutants}
OUT=$WORK/results.txt
ONLY=${1:-}
CHECK=false
if [ "$ONLY" = --check ]; then CHECK=true; ONLY=; STALE=0; COUNT=0; else mkdir -p "$WORK"; : > $OUT; fi
mutate() { # name file from to test [from2 to2: a second change in the same file]
  local name=$1 file=$2 from=$3 to=$4 test=$5 from2=${6:-} to2=${7:-}
  if $CHECK; then
    COUNT=$((COUNT + 1))
    local content=
    [ -f "$SRC/$file" ] && content=$(<"$SRC/$file")
    [[ "$content" == *"$from"* ]] || { echo "STALE mutant $name: its pattern is not in $file"; STALE=$((STALE + 1)); }
    [ -z "$from2" ] || [[ "$content" == *"$from2"* ]] || { echo "STALE mutant $name: its second pattern is not in $file"; STALE=$((STALE + 1)); }
    return
  fi
  if [ -n "$ONLY" ] && [[ ! "$name" =~ $ONLY ]]; then return; fi
  local dir=$WORK/$name
  rm -rf $dir; mkdir -p $dir
  (cd $SRC && git archive HEAD | tar -x -C $dir)
  python3 - "$dir/$file" "$from" "$to" "$from2" "$to2" <<'PY'
import sys
p,a,b,a2,b2=sys.argv[1:6]; s=open(p).read()
if a not in s or (a2 and a2 not in s): print("PATTERN NOT FOUND", p); sys.exit(3)
s=s.replace(a,b,1)
if a2: s=s.replace(a2,b2,1)
open(p,'w').write(s)
PY
  [ $? -eq 0 ] || { echo "$name: pattern not found" >> $OUT; return; }
  (cd $dir && timeout 900 ./mvnw -q -B -o test -Dtest="$test" > $dir/test.log 2>&1)
  local rc=$?
  local summary=$(grep -h "Tests run" $dir/target/surefire-reports/*.txt 2>/dev/null | head -1)
  if [ $rc -ne 0 ]; then echo "$name: CAUGHT (test failed as it must) — $test — $summary" >> $OUT; else echo "$name: MISSED (test passed) — $test — $summary" >> $OUT; fi
  rm -rf $dir/target
}
C=src/main/java/io/orderly/platform/messaging/SubscriptionConsumer.java
mutate inbox-off $C 'if (!fresh.remove(message.id())) {' 'if (false) {' 'MessagingIntegrationTest#appliesEveryMessageOnceWhenEachIsDeliveredTwice'
mutate log-read-off-by-one src/main/java/io/orderly/platform/messaging/DatabaseLog.java 'where position > ? and position <= ?' 'where position > ? + 1 and position <= ?' 'MessagingIntegrationTest#consumesEveryEventInOrderPerSubjectWhenTransactionsCommitOutOfIdOrder'
mutate admission-line-unbounded src/main/java/io/orderly/platform/web/AdmissionFilter.java 'return ahead < properties.maxWaiting() && lane.tryAcquirePermission();' 'return lane.tryAcquirePermission();' 'AdmissionIntegrationTest#refusesAtOnceWhenTheLineOfWaitersIsFull'
mutate relay-id-cursor src/main/java/io/orderly/platform/messaging/OutboxRelay.java 'from platform.outbox where position is null order by id limit :limit' 'from platform.outbox where position is null and id > (select coalesce(max(id), 0) from platform.outbox where position is not null) order by id limit :limit' 'MessagingIntegrationTest#consumesEveryEventInOrderPerSubjectWhenTransactionsCommitOutOfIdOrder'
mutate ack-not-atomic $C 'round = transactions.execute(status -> round(false));' 'round = round(false);' 'MessagingIntegrationTest#redeliversAndAppliesOnceAfterACrashBetweenConsumingAndAcknowledging'
mutate poison-blocks-all $C '			park(message, now, failure.error());' '			if (failure != null) {
				throw new IllegalStateException(failure.error());
			}' 'MessagingIntegrationTest#deadLettersAPoisonMessageAfterMaxAttemptsWhileOtherSubjectsFlowAndReplaysItOnce'
mutate subject-order-off $C 'if (blockedSubjects.contains(message.subject())) {' 'if (false) {' 'MessagingIntegrationTest#deadLettersAPoisonMessageAfterMaxAttemptsWhileOtherSubjectsFlowAndReplaysItOnce'
K=src/main/java/io/orderly/platform/messaging/KafkaPublisher.java
KT=KafkaMessagingIntegrationTest
mutate kafka-duplicate-in-a-batch-applied-twice $C 'if (!fresh.remove(message.id())) {' 'if (!fresh.contains(message.id())) {' "$KT#aPublisherThatDiesAfterTheBrokerTookABatchSendsItAgainAndEachMessageIsAppliedOnce"
mutate kafka-publisher-marks-before-ack $K '			long from = lease[0];' '			long from = lease[0];
			jdbc.update("update platform.subscriptions set position = (select position from platform.log_head) where name = ?", NAME);' "$KT#aBatchTheBrokerDidNotAcknowledgeIsSentAgainAndNothingIsLost"
mutate kafka-too-large-stalls-the-log $K '				tooLarge.add(messages.get(i));' '				throw new IllegalStateException("refused");' "$KT#aMessageTooLargeForTheBrokerIsDeadLetteredAndTheMessagesAfterItFlow"
KL=src/main/java/io/orderly/platform/messaging/KafkaLog.java
# Positions moved when records arrive (and the late-owner check off, so that normal rounds still apply them).
mutate kafka-positions-moved-on-receipt $KL '.forEach(buffer::add);' '.forEach(buffer::add);
				if (!buffer.isEmpty()) store(nextOffsets(buffer), true);' "$KT#aConsumerProcessKilledMidBatchLeavesItsPartitionsToTheOthersAndNothingIsLostOrAppliedTwice" \
  '			if (position > entry.getValue()) {' '			if (false) {'
mutate kafka-unreadable-record-passed-over $KL '				deadLetterUnreadable(record, ex);' '				log.warn("passed over", ex);' "$KT#aRecordOfASubscribedTypeThatDoesNotReadAsAMessageIsDeadLetteredAndTheSubjectFlowsOn"
mutate kafka-beyond-the-end-read-from-the-end $KL 'long position = first == null ? ends.get(partition) : first.offset();' 'long position = ends.get(partition);' "$KT#positionsBeyondTheEndOfTheirPartitionsAreReadFromWhatThePartitionsHoldNow"
mutate kafka-ack-not-atomic $C 'round = transactions.execute(status -> round(false));' 'round = round(false);' "$KT#redeliversAndAppliesOnceAfterACrashBetweenConsumingAndAcknowledging"
mutate relay-unlocked src/main/java/io/orderly/platform/messaging/OutboxRelay.java 'select position from platform.log_head for update' 'select position from platform.log_head' 'MessagingIntegrationTest#twoRelaysTogetherLoseNothingAndApplyEverythingOnce'
mutate idempotency-takeover src/main/java/io/orderly/platform/idempotency/IdempotencyKeys.java 'select pg_try_advisory_xact_lock(' 'select true or pg_try_advisory_xact_lock(' 'IdempotencyIntegrationTest#executesFiftyConcurrentSameKeyRequestsOnce'
mutate idempotency-expired-replayed src/main/java/io/orderly/platform/idempotency/IdempotencyKeys.java "and state = 'COMPLETED' and expires_at > :now" "and state = 'COMPLETED'" 'IdempotencyIntegrationTest#executesAgainOnceTheKeyHasExpired'
mutate idempotency-in-flight-replayed src/main/java/io/orderly/platform/idempotency/IdempotencyKeys.java "and state = 'COMPLETED' and expires_at > :now" "and expires_at > :now" 'IdempotencyIntegrationTest#runsAgainAKeyThatAnEarlierVersionLeftInFlight'
mutate idempotency-rolled-back-success-told src/main/java/io/orderly/platform/idempotency/IdempotencyFilter.java 'if (successRolledBack[0]) {' 'if (false) {' 'IdempotencyIntegrationTest#neverTellsNorReplaysASuccessWhoseTransactionWasRolledBack'
mutate admission-off src/main/java/io/orderly/platform/web/AdmissionFilter.java 'if (!admitted) {' 'if (false) {' 'AdmissionIntegrationTest'
mutate admission-before-body src/main/java/io/orderly/platform/web/AdmissionFilter.java 'received = ReceivedBody.read(request, properties.bodyDeadline());' 'received = request;' 'AdmissionIntegrationTest#clientsSlowToSendTheirBodiesTakeNoTurnFromOthers'
mutate body-deadline-ignored src/main/java/io/orderly/platform/web/ReceivedBody.java 'if (System.nanoTime() - started > deadline.toNanos()) {' 'if (false) {' 'AdmissionIntegrationTest#aBodyThatDoesNotArriveInTimeGets408AsAProblem'
mutate query-text-unchecked src/main/java/io/orderly/platform/web/QueryTextFilter.java 'if (!errors.isEmpty()) {' 'if (false) {' 'HostileTextIntegrationTest#refusesQueryParametersThatAreNotTextAndNamesThem'
mutate json-text-unchecked src/main/java/io/orderly/platform/web/StrictJson.java 'if (!Text.storable(text)) {' 'if (false) {' 'HostileTextIntegrationTest#refusesTextThatCannotBeStoredInABodyAndNamesTheField'
mutate json-lenient src/main/java/io/orderly/platform/web/StrictJson.java 'builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)' 'builder -> builder' 'HostileTextIntegrationTest#refusesNumbersAsTextTextAsNumbersAndKeysGivenTwice'
mutate backlog-unbounded src/main/java/io/orderly/order/internal/OrderBacklog.java 'if (pending >= limit) {' 'if (false) {' 'OrderBacklogIntegrationTest'
L=src/main/java/io/orderly/links/internal/LinkCache.java
mutate links-no-single-flight $L 'target = targets.get(code, this::load);' 'target = load(code); if (target != null) { targets.put(code, target); }' 'LinksIntegrationTest#aThousandConcurrentRequestsForAnExpiredHotEntryReadTheDatabaseOnce'
mutate links-local-eviction-only $L '		notifications.send(CHANNEL, code);' '' 'LinksIntegrationTest#aDeletedLinkAnswers410OnEveryInstance'
mutate links-expiry-from-ttl-only $L 'return removed || (expiresAt != null && !now.isBefore(expiresAt));' 'return removed;' 'LinksIntegrationTest#anExpiredLinkAnswers410AtOnceEvenFromTheCache'
mutate links-shared-generator src/main/java/io/orderly/links/internal/LinkCodes.java 'this.generator = Math.floorMod(generatorNumber, 1L << GENERATOR_BITS);' 'this.generator = 0;' 'LinkCodesTest'
mutate links-code-reuse-after-purge src/main/java/io/orderly/links/internal/Links.java 'update links.links set url = null, purged_at = :now' 'delete from links.links' 'LinksIntegrationTest#purgesExpiredLinksButKeepsTheirCodesTakenForever'
R=src/main/java/io/orderly/links/internal/RedisLinkCache.java
mutate links-redis-trusted-after-removal $L 'boolean removedLately = justRemoved.getIfPresent(code) != null;' 'boolean removedLately = false;' 'SharedLinkCacheIntegrationTest#aStaleEntryLeftInRedisDoesNotOutliveARemoval'
mutate links-redis-put-overwrites $R 'SetArgs.Builder.nx().px(ttl)' 'SetArgs.Builder.px(ttl)' 'SharedLinkCacheIntegrationTest#aStaleEntryLeftInRedisDoesNotOutliveARemoval'
mutate links-redis-removal-not-recorded $L '				shared.markRemoved(code, jittered());' '' 'SharedLinkCacheIntegrationTest#aDeletionReachesTheSharedTierAndEveryInstance'
P=src/main/java/io/orderly/payment/internal
mutate payment-no-wait-in-outage $P/ProviderCalls.java 'start(payment, Operation.AUTHORIZE, token, now.plus(properties.pending().maxWait()), now);' 'start(payment, Operation.AUTHORIZE, token, now, now);' 'PaymentOutageIntegrationTest#ordersWaitThroughAnOutageAndAreAuthorizedOnceWhenTheProviderIsBack'
mutate payment-wait-retry-new-key $P/ProviderSteps.java 'provider.authorize(IdempotencyKeys.authorize(orderId), orderId,' 'provider.authorize(IdempotencyKeys.authorize(orderId) + ":" + System.nanoTime(), orderId,' 'PaymentOutageIntegrationTest#anAuthorizationTheProviderDidButCouldNotTellIsAnsweredNotDoneAgain'
mutate payment-cancel-keeps-waiting $P/CancelPaymentHandler.java '				recorder.record(payment.cancelledWhilePending(now, properties.watch().duration()));' '' 'PaymentOutageIntegrationTest#aCancelWhileWaitingStopsTheAttemptsAndNothingIsAuthorizedAfterIt'
mutate payment-capture-no-wait $P/ProviderCalls.java 'Duration wait = properties.pending().enabled() ? properties.pending().maxWait() : properties.watch().duration();' 'Duration wait = Duration.ZERO;' 'PaymentOutageIntegrationTest#aCaptureDuringAnOutageWaitsAndIsDoneOnceWhenTheProviderIsBack'
mutate payment-capture-after-cancel $P/ProviderCallStore.java 'on conflict (order_id) do update set operation = excluded.operation,' 'on conflict (order_id) do update set operation = provider_calls.operation,' 'PaymentOutageIntegrationTest#aCancelWhileACaptureWaitsMeansNoCapture'
mutate provider-call-inside-transaction $P/ProviderCalls.java '				case AUTHORIZE -> steps.authorize(payment, call.paymentToken());' '				case AUTHORIZE -> transactions.execute(status -> steps.authorize(payment, call.paymentToken()));' 'PaymentCommandsIntegrationTest#authorizesTokOkAndBooksTheHold'
mutate provider-guard-off $P/OutsideTransactions.java 'if (TransactionSynchronizationManager.isActualTransactionActive()
				|| TransactionSynchronizationManager.isSynchronizationActive()) {' 'if (false) {' 'OutsideTransactionsTest'
mutate provider-call-lost-on-crash $P/ProviderCalls.java 'now.plus(properties.pending().lease()), 1, 1, UUID.randomUUID()' 'now.plus(properties.pending().lease().multipliedBy(1000)), 1, 1, UUID.randomUUID()' 'PaymentFaultsIntegrationTest#authorizesAndCapturesOnceWhenTheProcessDiesAroundTheProviderCall'
mutate provider-call-unfenced $P/ProviderCalls.java '.filter(current -> attempt.attempt().equals(current.attempt()))' '.filter(current -> attempt.operation() == current.operation())' 'PaymentFaultsIntegrationTest#aLateAnswerOfAnOvertakenAttemptDecidesNothing'
mutate provider-call-errors-forever $P/ProviderCalls.java 'if (failures < properties.pending().maxFailures()) {' 'if (true) {' 'PaymentFaultsIntegrationTest#aCallThatKeepsFailingOnOurSideIsGivenUpAndWatchedNotMadeForever'
mutate payment-pending-first-attempt-only $P/ProviderCalls.java 'boolean tell = !call.pendingTold();' 'boolean tell = call.attempts() == 1;' 'PaymentOutageIntegrationTest#theSagaIsToldTheAuthorizationWaitsEvenWhenItsFirstAttemptDied'
mutate provider-bulkhead-taken-for-away $P/ProviderUnavailable.java 'BULKHEAD_FULL(true, false);' 'BULKHEAD_FULL(true, true);' 'ProviderStepsTest'
mutate provider-key-in-use-given-up $P/ProviderSteps.java 'ex.failure() == ProviderUnavailable.Failure.KEY_IN_USE, learned);' 'false, learned);' 'ProviderStepsTest'
mutate psp-breaker-never-opens $P/ResilientPaymentProvider.java '.minimumNumberOfCalls(b.minimumCalls())' '.minimumNumberOfCalls(Integer.MAX_VALUE)' 'ResilientPaymentProviderTest'
mutate psp-retry-refusals $P/ResilientPaymentProvider.java '.retryOnException(ResilientPaymentProvider::retriable)' '.retryOnException(ex -> true)' 'ResilientPaymentProviderTest'
mutate reconcile-keeps-strays $P/PaymentReconciliation.java '				undoStray(at);' '' 'PaymentReconciliationIntegrationTest'
mutate reconcile-trusts-own-record $P/PaymentReconciliation.java 'if (at.paymentStatus() != current.status() ||' 'if (false &&' 'PaymentReconciliationIntegrationTest'
mutate webhook-unverified $P/PspWebhooks.java 'if (!WebhookSignature.verify(secret, signature, body, clock.instant(), tolerance)) {' 'if (false) {' 'PspWebhooksIntegrationTest#refusesUnsignedForgedOrStaleEventsAndKeepsNothing'
mutate webhook-not-applied $P/PspWebhooks.java 'if (!agrees(payment.get(), snapshot)) {' 'if (false) {' 'PspWebhooksIntegrationTest#aChangeMadeAtTheProviderReachesOurRecordThroughItsWebhook'
mutate webhook-events-purged-early $P/WebhookEventRetention.java 'where received_at < :cutoff limit :batch' 'limit :batch' 'WebhookEventRetentionIntegrationTest'
mutate backlog-fixed-bound src/main/java/io/orderly/order/internal/OrderBacklog.java 'rate += (completed / seconds - rate) * weight;' '' 'OrderBacklogTest'
mutate saga-timeout-skips-inflight src/main/java/io/orderly/platform/saga/Sagas.java 'compensate(definition, saga, saga.step(), TIMEOUT);' 'compensate(definition, saga, saga.step() - 1, TIMEOUT);' 'SagaIntegrationTest#compensatesAStepWhoseReplyMissesItsDeadlineAndIgnoresTheLateReply'
mutate checkout-oversell src/main/java/io/orderly/inventory/internal/Stock.java 'where s.sku = w.sku and s.on_hand - s.reserved >= w.quantity' 'where s.sku = w.sku' 'CheckoutIntegrationTest#neverSellsMoreThanTheStockWhenManyOrderAtOnce'
mutate checkout-no-refund $P/ProviderSteps.java 'case CAPTURED -> learned = provider.refund(IdempotencyKeys.refund(orderId), authorization, refundable);' 'case CAPTURED -> { return new NothingThere(); }' 'CheckoutIntegrationTest#customerCancelRefundsAndReturnsStockButNotAfterDispatch'
mutate checkout-late-auth-kept src/main/java/io/orderly/platform/saga/Sagas.java 'compensate(definition, saga, saga.step(), TIMEOUT);' 'compensate(definition, saga, saga.step() - 1, TIMEOUT);' 'CheckoutIntegrationTest#compensatesWhenAStepMissesItsDeadlineAndVoidsTheAuthorizationThatArrivesLate'
mutate checkout-declined-keeps-stock src/main/java/io/orderly/order/internal/CheckoutSaga.java '.compensateWith(c -> new ReleaseStock(c.orderId()), StockReleased.class)' '' 'CheckoutIntegrationTest#cancelsADeclinedOrderAndReturnsItsStock'
mutate saga-refusal-retried src/main/java/io/orderly/platform/saga/Sagas.java 'if (refusal != null) {' 'if (false) {' 'SagaIntegrationTest#aCancellationRefusedAtThePointOfNoReturnLeavesACompletedSagaCompleted'
mutate saga-refused-compensation-retried src/main/java/io/orderly/platform/saga/Sagas.java 'needsAttention(definition, saga, "cannot be undone: " + reason + " (compensating for: " + saga.reason() + ")");' 'compensationFailed(definition, saga, reason);' 'SagaIntegrationTest#aStepThatCannotBeUndoneAfterAFailureWaitsForAnOperatorAtOnce'
mutate saga-refusal-not-resumed src/main/java/io/orderly/platform/saga/Sagas.java '			send(saga.id(), running.name(), running.command().apply(data), "COMMAND");
		}
		if (cancelled) {' '		}
		if (cancelled) {' 'SagaIntegrationTest#aCancellationRefusedWhileRunningGoesOnWithTheStepItRan'
mutate saga-pivot-unchecked src/main/java/io/orderly/platform/saga/SagaDefinition.java 'if (steps.get(later).compensation() != null) {' 'if (false) {' 'SagaIntegrationTest#nothingAfterAPointOfNoReturnMayBeUndone'
mutate saga-timeout-past-pivot-undone src/main/java/io/orderly/platform/saga/Sagas.java '			store.resumeStep(id, saga.step());
			compensate(definition, saga, saga.step(), TIMEOUT);' '			compensate(definition, saga, saga.step(), TIMEOUT);' 'SagaIntegrationTest#aStepPastThePointOfNoReturnThatMissesItsDeadlineIsAskedAgainNotUndone'
mutate checkout-cancel-vs-dispatch-retried src/main/java/io/orderly/order/internal/CheckoutSaga.java 'ShipmentCancellationFailed.ALREADY_DISPATCHED.equals(reply.reason()) ? reply.reason() : null' 'null' 'CheckoutIntegrationTest#aCancelRacingADispatchEndsOneWayEveryTime'
O=src/main/java/io/orderly/order/internal/AfterCheckout.java
mutate refund-over-capture $O 'if (amountMinor > left) {' 'if (false) {' 'AfterCheckoutIntegrationTest#anOperatorsRefundIsMadeOnceAndNeverPassesWhatWasCaptured'
mutate refund-lock-removed $O 'Optional<SagaState> saga = sagas.lock(orderId);
		Orders.Row order = orders.lock(orderId).orElseThrow(() -> notFound(orderId));' 'Optional<SagaState> saga = sagas.find(orderId).map(io.orderly.platform.saga.SagaInstance::state);
		Orders.Row order = orders.find(orderId).orElseThrow(() -> notFound(orderId));' 'AfterCheckoutIntegrationTest#aRefundIsDecidedUnderTheOrdersLock'
mutate cancel-during-refund $O 'if (order.status() != OrderStatus.CANCELLED && jdbc.sql(' 'if (false && jdbc.sql(' 'AfterCheckoutIntegrationTest#aRefundWaitsThroughAProviderOutageAndHappensOnce'
mutate return-units-twice $O 'Map<String, Integer> asked = askedBack(orderId);' 'Map<String, Integer> asked = new HashMap<>();' 'AfterCheckoutIntegrationTest#aReturnIsWithinTheWindowForWhatWasBoughtOnceAndRefundsWhatCameBack'
mutate return-window-unchecked $O 'if (now.isAfter(closes)) {' 'if (false) {' 'AfterCheckoutIntegrationTest#aReturnIsWithinTheWindowForWhatWasBoughtOnceAndRefundsWhatCameBack'
mutate payment-refund-over-capture $P/RefundCalls.java 'long available = payment.capturedMinor() - payment.refundedMinor() - refunds.pendingMinor(orderId);' 'long available = payment.capturedMinor() - payment.refundedMinor();' 'PaymentCommandsIntegrationTest#refundsByNameOnceEachAndNeverMoreThanWasCapturedInAll'
mutate payment-refund-key-per-attempt $P/RefundCalls.java 'provider.refund(IdempotencyKeys.refundOf(refund.id()), authorization' 'provider.refund(IdempotencyKeys.refundOf(attempt.toString()), authorization' 'AfterCheckoutIntegrationTest#aRefundWaitsThroughAProviderOutageAndHappensOnce'
mutate carrier-report-unverified src/main/java/io/orderly/shipping/web/CarrierWebhookController.java 'if (!WebhookSignature.verify(carrier.webhookSecret(), signature, body, clock.instant(), carrier.tolerance())) {' 'if (false) {' 'AfterCheckoutIntegrationTest#theCarriersSignedReportMakesADispatchedOrderDeliveredOnce'
mutate address-changed-after-dispatch src/main/java/io/orderly/shipping/ShipmentChanges.java "where order_id = :order and state = 'CREATED'\"\"\")" 'where order_id = :order""")' 'AfterCheckoutIntegrationTest#anAddressChangeAndADispatchAtOnceAreDecidedOnce'
mutate payment-cancel-during-refund $P/CancelPaymentHandler.java 'if (refunds.anyPending(orderId)) {' 'if (false) {' 'PaymentCommandsIntegrationTest#aCancelWaitsWhileARefundByNameIsMadeThenRefundsTheRest'
mutate remove-line-released-twice src/main/java/io/orderly/order/internal/AfterCheckout.java 'outbox.publish(orderId, new ReleaseLine(orderId, sku));' 'outbox.publish(orderId, new RestockUnits(orderId, "line removed", List.of(new RestockUnits.Line(sku, units))));' 'AfterCheckoutIntegrationTest#aLineRemovedBeforeDispatchGoesBackOnSaleAndIsRefundedOnce'
mutate order-stream-stops-at-checkout src/main/java/io/orderly/order/internal/OrderEventStreams.java 'if (afterCheckout ? lifeSettled(order) : checkoutEnded(order.status())) {' 'if (checkoutEnded(order.status())) {' 'AfterCheckoutIntegrationTest#aConfirmedOrderIsFollowedOnUntilItIsDelivered'
mutate refund-retried-past-key-lifetime $P/RefundCalls.java 'if (!now.isBefore(refund.createdAt().plus(retryLimit))) {
					refunds.end(refund.id(), Status.UNANSWERED, "no answer' 'if (false) {
					refunds.end(refund.id(), Status.UNANSWERED, "no answer' 'PaymentOutageIntegrationTest#aRefundWithoutAnAnswerPastTheRetryLimitIsLeftToAnOperatorNotAskedAgain'
E=src/main/java/io/orderly/edge/internal
mutate edge-signature-skipped $E/TokenDecoding.java 'NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
			.jwsAlgorithms(algorithms -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();' 'NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
			.jwsAlgorithms(algorithms -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.jwtProcessorCustomizer(p -> p.setJWSVerifierFactory(new com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory() {
				@Override public com.nimbusds.jose.JWSVerifier createJWSVerifier(com.nimbusds.jose.JWSHeader h, java.security.Key k) throws com.nimbusds.jose.JOSEException {
					com.nimbusds.jose.JWSVerifier real = super.createJWSVerifier(h, k);
					return new com.nimbusds.jose.JWSVerifier() {
						public boolean verify(com.nimbusds.jose.JWSHeader hh, byte[] in, com.nimbusds.jose.util.Base64URL sig) { return true; }
						public java.util.Set<com.nimbusds.jose.JWSAlgorithm> supportedJWSAlgorithms() { return real.supportedJWSAlgorithms(); }
						public com.nimbusds.jose.jca.JCAContext getJCAContext() { return real.getJCAContext(); }
					};
				}
			}))
			.build();' 'TokenValidationIntegrationTest#refusesATamperedPayload'
mutate edge-audience-skipped $E/TokenDecoding.java 'aud -> aud != null && aud.contains(properties.audience())' 'aud -> true' 'TokenValidationIntegrationTest#refusesAnotherIssuerOrAudienceEvenWhenSignedByTheIssuersKey'
mutate edge-leeway-ignored $E/TokenDecoding.java 'issuedAt.isAfter(clock.instant().plus(properties.clockSkew()))' 'issuedAt.isAfter(clock.instant().plus(properties.clockSkew()).plusSeconds(3600))' 'TokenTimesTest'
mutate edge-customer-from-body src/main/java/io/orderly/order/web/OrderController.java 'if (named != null && !named.equals(caller.customerId())) {' 'if (named != null) { return named; } if (false) {' 'CustomerOwnOrdersIntegrationTest'
mutate edge-others-orders-visible src/main/java/io/orderly/order/web/OrderController.java '.filter(order -> caller.mayAccess(order.customerId()))' '' 'CustomerOwnOrdersIntegrationTest'
mutate edge-support-writes $E/AccessRules.java '.requestMatchers("/v1/admin/**").hasAnyRole(names(OPERATOR, ADMIN))' '.requestMatchers("/v1/admin/**").hasAnyRole(names(SUPPORT, OPERATOR, ADMIN))' 'AccessMatrixIntegrationTest'
mutate edge-metrics-open $E/AccessRules.java '.requestMatchers(GET, "/actuator/**").hasAnyRole(names(OPERATOR, ADMIN))' '.requestMatchers(GET, "/actuator/**").permitAll()' 'AccessMatrixIntegrationTest'
mutate edge-idempotency-before-auth src/main/java/io/orderly/platform/idempotency/IdempotencyFilter.java '@Order(IdempotencyFilter.AFTER_SECURITY)' '@Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 100)' 'CustomerOwnOrdersIntegrationTest#anIdempotencyKeyIsTheCallersOwnAndReplaysNothingToAnotherOrToNobody'
RV=src/main/java/io/orderly/edge/internal/Revocations.java
mutate edge-revocation-not-propagated $RV '		notifications.send(CHANNEL, kind.column());' '' 'RevocationIntegrationTest#anAdminRevokesOneTokenAndEveryInstanceRefusesItUntilItWouldHaveExpired'
mutate edge-revocation-unchecked $RV 'return isRevoked(token) ? OAuth2TokenValidatorResult.failure(REVOKED)' 'return false ? OAuth2TokenValidatorResult.failure(REVOKED)' 'RevocationIntegrationTest#logoutEndsTheLoginItsAccessTokensAndItsRefreshTokenEverywhere'
mutate edge-remembered-token-unchecked src/main/java/io/orderly/edge/internal/VerifiedTokens.java 'OAuth2TokenValidatorResult result = validator.validate(known);' 'OAuth2TokenValidatorResult result = OAuth2TokenValidatorResult.success();' 'VerifiedTokensTest#refusesARememberedTokenOnceItIsRevoked'
mutate edge-refresh-reuse-ignored src/main/java/io/orderly/edge/internal/RefreshTokenFamilies.java '				.ifPresent(this::endFamily);' '				.isPresent();' 'RevocationIntegrationTest#reusingASpentRefreshTokenEndsTheWholeLogin'
mutate edge-subject-revocation-keeps-refresh src/main/java/io/orderly/edge/internal/RevocationController.java '				issued.endLoginsOf(request.subject());' '' 'RevocationIntegrationTest#revokingASubjectEndsEveryTokenAndLoginTheyHadAndTheyCanSignInAgainAfterwards'
K=src/main/java/io/orderly/edge/internal/ApiKeys.java
mutate edge-read-key-writes src/main/java/io/orderly/edge/internal/ApiKeyAuthentication.java '&& ApiKeys.Scope.READ.value.equals(caller.key().scope())' '&& false' 'ApiKeyIntegrationTest#aReadKeyReadsAndMayNotWrite'
mutate edge-api-key-revocation-not-propagated $K '		notifications.send(CHANNEL, id);' '' 'ApiKeyIntegrationTest#aRevokedKeyIsRefusedHereAndOnEveryOtherInstance'
mutate edge-api-key-expiry-unchecked $K 'return revokedAt == null && now.isBefore(expiresAt);' 'return revokedAt == null;' 'ApiKeyIntegrationTest#anExpiredKeyIsRefusedEvenFromTheCache'
mutate edge-api-key-overlap-unbounded $K '|| (resolved.previousUntil() != null && !now.isBefore(resolved.previousUntil()))' '' 'ApiKeyIntegrationTest#aRotationKeepsThePreviousSecretForTheOverlapOnly'
RL=src/main/java/io/orderly/edge/internal
mutate edge-limiter-bypassed $RL/RateLimitFilters.java 'if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {' 'if (true) {' 'RateLimitIntegrationTest#aCallerGetsItsTiersQuotaThenA429WithRetryAfterWhileOthersKeepWorking'
mutate edge-limits-not-shared $RL/RateLimitConfiguration.java 'yield new BucketStore(RateLimiter.shared(buckets, properties.unsynchronizedShare()), buckets, pool);' 'yield new BucketStore(RateLimiter.local(clock), buckets, pool);' 'RateLimitIntegrationTest#threeInstancesOnOneDatabaseAdmitAtMostTheLimit'
mutate edge-forwarded-for-believed $RL/EdgeLimits.java 'if (!trusted(peer)) {' 'if (false) {' 'RateLimiterTest#forwardedForIsBelievedOnlyFromATrustedProxy'
mutate edge-login-limit-fails-open $RL/EdgeLimits.java 'RateLimiter.Limit.of("failed-auth", properties.failedAuth(), RateLimiter.OnStoreFailure.REFUSE)' 'RateLimiter.Limit.of("failed-auth", properties.failedAuth(), RateLimiter.OnStoreFailure.ADMIT)' 'RateLimiterTest#whileTheStoreIsAwayCapacityLimitsAdmitAndLoginLimitsRefuse'
mutate edge-failed-auth-not-counted $RL/RateLimitFilters.java '				limits.failedAuthentication(address);' '' 'RateLimitIntegrationTest#anAddressWhoseCredentialsFailTooOftenIsStoppedWhileOthersKeepWorking'
mutate body-size-unchecked src/main/java/io/orderly/platform/web/BodySizeFilter.java 'if (request.getContentLengthLong() > limit) {' 'if (false) {' 'BodySizeIntegrationTest#aBodyOverTheLimitIsRefusedBeforeAnythingReadsIt'
mutate edge-role-change-keeps-tokens $RL/AccountController.java '		endAccess(username, caller, "access changed by an admin");' '' 'AccountManagementIntegrationTest#changingWhatSomebodyMayDoEndsTheTokensAndLoginsTheyHold'
mutate edge-last-admin-removable $RL/AccountController.java 'if (admins == 0) {' 'if (false) {' 'AccountManagementIntegrationTest#theLastAdminCannotBeDemotedDisabledOrRemoved'
mutate edge-benchmark-mode-on-kept-data $E/BenchmarkWithoutSecurity.java 'if (data.equals(temp) || !data.startsWith(temp)) {' 'if (false) {' 'BenchmarkWithoutSecurityTest'
mutate edge-empty-bucket-asked-again $RL/RateLimiter.java '				emptyUntil.put(bucket, now.plus(wait));' '' 'RateLimiterTest#anEmptyBucketIsRefusedWithoutAskingTheStoreAgainUntilItRefills'
mutate edge-openapi-silent $RL/OpenApiSecurity.java 'item.readOperations().forEach(operation -> secure(operation));' '' 'OpenApiSecurityIntegrationTest'
mutate edge-tenant-not-limited $RL/RateLimitFilters.java 'if (tenant != null && !tenant.isBlank() && !draw(' 'if (false && !draw(' 'RateLimitIntegrationTest#theCallersOfOneTenantShareItsBucket'
mutate edge-others-links-visible src/main/java/io/orderly/links/web/LinkController.java '.filter(link -> caller.mayAccess(link.owner()))' '' 'CustomerOwnLinksIntegrationTest'
H=HttpHygieneIntegrationTest
mutate edge-cors-after-auth $E/ApiSecurityConfiguration.java 'http.cors(config -> config.configurationSource(ResponseHeaders.cors(cors))).headers(ResponseHeaders::apply);' 'http.headers(ResponseHeaders::apply);' "$H#letsAnAllowedOriginReadAnswersAndTheirHeadersAnd401sToo"
mutate edge-cors-any-origin $E/ResponseHeaders.java 'cors.setAllowedOrigins(properties.allowedOrigins());' 'cors.setAllowedOriginPatterns(List.of("*"));' "$H#refusesAPreflightFromAnotherOrigin"
mutate edge-user-response-cacheable $E/ResponseHeaders.java '.addHeaderWriter(new StaticHeadersWriter("Cache-Control", CACHE_CONTROL))' '' "$H#neverLetsACallersOwnAnswerBeStored"
mutate edge-catalog-cache-overridden $E/ResponseHeaders.java 'new StaticHeadersWriter("Cache-Control", CACHE_CONTROL)' '(request, response) -> response.setHeader("Cache-Control", CACHE_CONTROL)' "$H#revalidatesACatalogReadWithItsETagUntilTheProductChanges"
mutate edge-catalog-not-revalidated src/main/java/io/orderly/inventory/web/CatalogCaching.java 'etags.addUrlPatterns("/v1/products/*");' 'etags.addUrlPatterns("/v1/nothing/*");' "$H#revalidatesACatalogReadWithItsETagUntilTheProductChanges"
mutate edge-csp-weak $E/ResponseHeaders.java 'new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)' 'new ContentSecurityPolicyHeaderWriter("default-src *")' "$H#sendsTheSecurityHeadersWithEveryJsonAnswerButKeepsSwaggerUiWorking"
mutate edge-json-uncompressed src/main/resources/application.yml '    enabled: true
    mime-types: application/json' '    enabled: false
    mime-types: application/json' "$H#gzipsALargeJsonListForAClientThatAsks"
mutate edge-retirement-unannounced src/main/java/io/orderly/platform/web/RetirementConfiguration.java 'registry.addInterceptor(headers);' '' "$H#announcesARetiringEndpointsDeprecationSunsetAndSuccessor"
CP=io.orderly.platform.web.ContainerProblemsIntegrationTest
mutate container-html-error-page src/main/java/io/orderly/platform/web/ContainerProblems.java '				host.setErrorReportValveClass(ProblemReportValve.class.getName());' '' "$CP#requestsTheContainerCannotReadAreAnsweredWithProblems"
mutate firewall-header-check-off src/main/java/io/orderly/edge/internal/RequestFirewall.java 'if (!Character.isDefined(c) || Character.getType(c) == Character.CONTROL) {' 'if (false) {' "$CP#whatTheFirewallRefusesIsAProblemAndLatinTextInAHeaderIsNotRefused"
mutate error-page-boot-json src/main/java/io/orderly/platform/web/ErrorProblems.java '@Hidden
@RestController' '@Hidden' "$CP#theErrorPageIsAProblemAndNotAResourceOfItsOwn"
mutate db-unreachable-still-waits src/main/java/io/orderly/platform/db/DatabaseReachability.java '			refuse(true);' '' 'io.orderly.platform.db.DatabaseOutageIntegrationTest'
mutate country-code-any-two-letters src/main/java/io/orderly/shipping/CountryCode.java 'return code != null && ASSIGNED.contains(code);' 'return code != null && code.matches("[A-Z]{2}");' 'HostileTextIntegrationTest#refusesACountryCodeThatIsNotAssigned'
mutate clock-finer-than-the-database src/main/java/io/orderly/platform/PlatformConfiguration.java 'return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));' 'return Clock.systemUTC();' 'OrderTimesIntegrationTest'
mutate links-own-address-unchecked src/main/java/io/orderly/links/internal/LinkTargets.java '				|| thisServer.test(asciiHost, effectivePort)) {' '				) {' 'LinksIntegrationTest#shortUrlsUseTheListeningPortAndATargetOnThisServersOwnAddressIsALoop'
mutate links-base-default-port src/main/java/io/orderly/links/internal/OwnAddress.java 'return "http://localhost:" + listeningPort.getAsInt();' 'return "http://localhost:8080";' 'LinksIntegrationTest#shortUrlsUseTheListeningPortAndATargetOnThisServersOwnAddressIsALoop'
mutate catalog-one-page-only src/main/java/io/orderly/inventory/Catalog.java 'more ? items.getLast().sku() : null' 'null' 'CatalogApiIntegrationTest#listsTheWholeCatalogInSkuOrderAPageAtATime'
OA=io.orderly.platform.web.OpenApiContractIntegrationTest
mutate openapi-order-202-undocumented src/main/java/io/orderly/order/web/OrderController.java '	@ApiResponse(responseCode = "202", description = "Accepted: the order, status PENDING", useReturnTypeSchema = true)
' '' "$OA"
mutate openapi-problems-undocumented src/main/java/io/orderly/platform/web/OpenApiProblems.java '							response.setContent(problemContent());' '' "$OA"
mutate login-sessions-in-memory src/main/resources/application.yml '  session:
    # The login page' '  autoconfigure:
    exclude: org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,org.springframework.boot.session.autoconfigure.SessionAutoConfiguration
  session:
    # The login page' 'LoginAcrossInstancesIntegrationTest'
mutate framework-problems-untyped src/main/java/io/orderly/platform/web/ProblemHandler.java '			problem.setType(ContainerProblems.of(status.value()).getType());' '' 'HostileRequestsFuzzIntegrationTest'
mutate nameless-parameter-500 src/main/java/io/orderly/platform/web/ProblemHandler.java '		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.validation("The query string is malformed' '		return ResponseEntity.internalServerError()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.validation("The query string is malformed' 'HostileTextIntegrationTest#refusesQueryParametersThatAreNotTextAndNamesThem'
mutate blank-client-id-500 src/main/java/io/orderly/edge/internal/AccountController.java 'NAME.matcher(clientId).matches() ? clients.findByClientId(clientId) : null' 'clients.findByClientId(clientId)' 'AccountManagementIntegrationTest#namesAreOnePersonOrOneClientAndBadRequestsChangeNothing'
PD=io.orderly.psp.PspPaymentsIntegrationTest#hasADocumentOfItsOwnNamingItsOwnPortWhichTheApisDocumentLeavesOut
mutate psp-in-apis-document src/main/java/io/orderly/psp/internal/PspConfiguration.java 'return OpenApiPaths.without("/psp/");' 'return api -> { };' "$PD"
mutate psp-document-names-the-api-port src/main/java/io/orderly/psp/internal/PspOpenApi.java '.servers(List.of(new Server().url(baseUrl)' '.servers(List.of(new Server().url("/")' "$PD"
mutate openapi-orphan-schemas-kept src/main/java/io/orderly/platform/web/OpenApiPaths.java 'schemas.keySet().retainAll(referenced);' '' "$PD"
WK=io.orderly.platform.messaging.MessagingWakeUpIntegrationTest
mutate wake-up-lost-for-a-partition src/main/java/io/orderly/platform/messaging/SubscriptionConsumer.java 'topic.subjectHash() % subscription.concurrency() == partition' 'topic.subjectHash() % subscription.concurrency() == 0' "$WK"
mutate relay-announcement-lost src/main/java/io/orderly/platform/messaging/OutboxRelay.java '			announce(relayed);' '' "$WK"
mutate producer-commit-wakes-no-relay src/main/java/io/orderly/platform/messaging/MessagingWorkers.java '		relaySignal.wake();
		return true;' '		return true;' "$WK"
mutate commit-without-relay-wakes-nobody src/main/java/io/orderly/platform/messaging/RelayWakeUp.java 'notifications.send(CHANNEL, "");' '' "$WK#aCommitInAProcessThatRunsNoRelayWakesTheRelayHere"
OS=io.orderly.order.internal.OrderEventStreamsTest
SR=io.orderly.platform.saga.SagaIntegrationTest#writesOneHistoryRowPerStepAndResumesAfterAnyEntry
mutate saga-history-row-per-entry src/main/java/io/orderly/platform/saga/SagaStore.java 'recorded.forEach(this::append);' 'recorded.forEach((saga, entries) -> entries.forEach(entry -> append(saga, List.of(entry))));' "$SR"
mutate saga-history-resume-skips-rest-of-row src/main/java/io/orderly/platform/saga/SagaStore.java 'h.id >= :fromRow' 'h.id > :fromRow' "$SR"
SH=io.orderly.platform.saga.SagaIntegrationTest#forgetsOnlyTheHistoryOfSagasThatEndedLongerAgoThanTheRetention
mutate saga-history-purged-while-running src/main/java/io/orderly/platform/saga/SagaHistoryRetention.java "and s.state in ('COMPLETED', 'COMPENSATED')" '' "$SH"
mutate saga-history-purged-by-its-age src/main/java/io/orderly/platform/saga/SagaHistoryRetention.java ' and s.updated_at < :cutoff' '' "$SH"
mutate saga-changed-data-not-written src/main/java/io/orderly/platform/saga/SagaStore.java '.param("data", dataChanged ? row.data() : null, Types.VARCHAR)' '.param("data", null, Types.VARCHAR)' 'SagaIntegrationTest#completesWhenEveryStepSucceedsPassingWhatEachReplyTold'
mutate admission-holds-webhooks src/main/java/io/orderly/platform/web/AdmissionFilter.java 'Bulkhead lane = webhook ? webhooks : bulkhead;' 'Bulkhead lane = bulkhead;' 'AdmissionIntegrationTest#refusesARequestBeyondTheBoundWith503AndRetryAfterWhileHealthStillAnswers'
mutate admission-webhooks-unbounded src/main/java/io/orderly/platform/web/AdmissionProperties.java '@DefaultValue("/v1/webhooks/") List<String> webhookPathPrefixes' '@DefaultValue("/v1/webhooks/psp") List<String> webhookPathPrefixes' 'AdmissionIntegrationTest#webhooksHaveALineOfTheirOwnBoundedApartFromTheApis'
mutate order-stream-history-before-order src/main/java/io/orderly/order/internal/OrderEventStreams.java 'OrderView order = reads.order(orderId).orElse(null);
				List<NumberedHistoryEntry> entries = reads.historyAfter(orderId, lastId);' 'List<NumberedHistoryEntry> entries = reads.historyAfter(orderId, lastId);
				OrderView order = reads.order(orderId).orElse(null);' "$OS#theLastEntriesOfACheckoutThatEndsDuringACatchUpAreSentBeforeTheStreamEnds"
mutate order-stream-catch-ups-overlap src/main/java/io/orderly/order/internal/OrderEventStreams.java 'if (asked.getAndIncrement() == 0) {' 'if (asked.getAndIncrement() >= 0) {' "$OS#everyCatchUpAskedForRunsOneAtATimeAndNoneIsLost"
mutate order-stream-outlives-stop src/main/java/io/orderly/order/internal/OrderEventStreams.java '		streams.values().forEach(set -> set.forEach(Stream::finish));' '' "$OS#stoppingEndsEveryOpenStream"
OE=io.orderly.order.OrderEventsIntegrationTest
mutate order-stream-local-signal-lost src/main/java/io/orderly/platform/saga/SagaStore.java '		progress.moved(sagaId);' '' "$OE#followsAnOrderUntilItIsConfirmedAndResumesAfterTheLastEventSeen"
mutate order-stream-other-instances-not-told src/main/java/io/orderly/platform/saga/SagaProgress.java 'if (!outgoing.offer(sagaId)) {' 'if (false) {' "$OE#anotherInstanceFollowsAnOrderThisOneMoves"
mutate order-stream-resume-ignored src/main/java/io/orderly/order/web/OrderController.java 'return streams.open(id, after, follow != null);' 'return streams.open(id, 0, follow != null);' "$OE#followsAnOrderUntilItIsConfirmedAndResumesAfterTheLastEventSeen"
mutate notifications-only-with-messaging src/main/java/io/orderly/platform/messaging/MessagingConfiguration.java '	@Bean
	NotificationListener notificationListener(' '	@Bean
	@ConditionalOnProperty(name = "orderly.messaging.enabled", havingValue = "true", matchIfMissing = true)
	NotificationListener notificationListener(' "$OE#anotherInstanceFollowsAnOrderThisOneMoves"
mutate ratelimit-share-unbounded src/main/java/io/orderly/edge/internal/RateLimiter.java 'getCapacity() * unsynchronizedShare)' 'getCapacity() * unsynchronizedShare * 10)' 'RateLimitIntegrationTest#threeInstancesHandingOutTheirShareAdmitAtMostTheLimitPlusOnePercent'
NI=io.orderly.notification.NotificationIntegrationTest
NM=src/main/java/io/orderly/notification/internal/NotificationManagement.java
NW=src/main/java/io/orderly/notification/internal/DeliveryWorkers.java
mutate notification-sent-per-event-not-per-identity $NM 'String key = orderId + ":" + template + (occasion == null ? "" : ":" + occasion);' 'String key = orderId + ":" + template + ":" + Ids.next();' "$NI#anOrderConfirmedTwiceIsToldOnceByEmailAndInTheFeed"
mutate notification-opt-out-read-only-when-queued $NW 'if (recipient.optedOut(delivery.channel(), category)) {' 'if (false) {' "$NI#optingOutAfterAMessageWasQueuedSuppressesIt"
mutate notification-quiet-hours-ignored $NW 'recipient.quietHours().heldUntil(now, recipient.timeZone());' 'Optional.<Instant>empty();' "$NI#quietHoursHoldAMessageUntilTheyEndAndCriticalOnesGoAtOnce"
mutate notification-critical-held-in-quiet-hours $NW 'delivery.priority() == Priority.CRITICAL || recipient.quietHours() == null' 'recipient.quietHours() == null' "$NI#quietHoursHoldAMessageUntilTheyEndAndCriticalOnesGoAtOnce"
mutate notification-quiet-hours-fixed-offset src/main/java/io/orderly/notification/internal/QuietHours.java 'return ZonedDateTime.of(day, time, zone).toInstant();' 'return day.atTime(time).toInstant(zone.getRules().getOffset(day.atStartOfDay()));' 'io.orderly.notification.internal.QuietHoursTest'
mutate notification-priorities-share-one-queue src/main/java/io/orderly/notification/internal/NotificationStore.java 'where d.priority = :priority and' 'where :priority is not null and' "$NI#aCriticalMessageDoesNotWaitBehindThousandsOfMarketingOnes"
mutate notification-missing-data-rendered-empty src/main/java/io/orderly/notification/internal/NotificationTemplates.java 'Mustache.compiler().escapeHTML(false).strictSections(true);' 'Mustache.compiler().escapeHTML(false).strictSections(true).defaultValue("");' "$NI#anotherSystemSendsOnceByIdempotencyKeyAndIsRefusedWhatCannotBeRendered" 'Mustache.compiler().escapeHTML(true).strictSections(true);' 'Mustache.compiler().escapeHTML(true).strictSections(true).defaultValue("");'
mutate notification-html-not-escaped src/main/java/io/orderly/notification/internal/NotificationTemplates.java 'Mustache.compiler().escapeHTML(true).strictSections(true);' 'Mustache.compiler().escapeHTML(false).strictSections(true);' "$NI#anotherSystemSendsOnceByIdempotencyKeyAndIsRefusedWhatCannotBeRendered"
mutate notification-payment-waiting-told-after-settling $NM '		settled(event.orderId(), "the order was confirmed");' '' "$NI#aPaymentWaitingIsToldOnceAfterTheDelayUnlessTheOrderSettlesFirst"
mutate notification-feed-not-signalled $NW '			feeds.signal(fed);' '' "$NI#theFeedListsCountsUnreadAndPushesNewEntriesLive"
NP=io.orderly.notification.NotificationProvidersIntegrationTest
NF=src/main/java/io/orderly/notification/internal/FailoverSender.java
mutate notification-failover-after-maybe-sent $NF '			if (!(outcome instanceof Failed failed) || failed.maybeSent()) {' '			if (!(outcome instanceof Failed failed)) {' "$NP#aMessageThePrimaryMayHaveTakenIsAskedOfItAgainNeverOfTheSecondary"
mutate notification-pin-ignored $NF '		if (message.pinnedProvider() != null) {' '		if (false) {' "$NP#aMessageThePrimaryMayHaveTakenIsAskedOfItAgainNeverOfTheSecondary"
mutate notification-no-failover $NF '		for (ProviderClient provider : providers) {' '		for (ProviderClient provider : providers.subList(0, 1)) {' "$NP#whenThePrimaryFailsSendsMoveToTheSecondaryAndEachIsDeliveredOnce"
mutate notification-outage-spends-attempts $NF '			if (!probing && answer instanceof ProviderClient.NotTaken notTaken && notTaken.attempted()) {' '			if (true) {' "$NP#aBacklogFromALongOutageDrainsWithinTheProvidersLimit"
mutate notification-provider-rate-unkept src/main/java/io/orderly/notification/internal/ProviderClient.java '			if (!rate.asBlocking().tryConsume(1, Duration.ofSeconds(5))) {' '			if (false) {' "$NP#aBacklogFromALongOutageDrainsWithinTheProvidersLimit"
mutate notification-channels-share-one-queue src/main/java/io/orderly/notification/internal/NotificationStore.java ' d.channel = :channel and' ' :channel is not null and' "$NP#aChannelHeldToASlowProviderDoesNotHoldUpAnotherChannelOfTheSamePriority"
mutate notification-retry-keeps-spent-attempts src/main/java/io/orderly/notification/internal/NotificationStore.java "set status = 'QUEUED', attempts = 0, next_attempt_at = :now" "set status = 'QUEUED', attempts = attempts, next_attempt_at = :now" "$NP#transientFailuresAreRetriedThreeTimesThenDeadLetteredWithTheirHistory"
mutate notification-retry-held-for-digest src/main/java/io/orderly/notification/internal/Digests.java '|| delivery.attempts() > 0 || delivery.provider() != null) {' '|| delivery.attempts() > 0) {' "$NP#transientFailuresAreRetriedThreeTimesThenDeadLetteredWithTheirHistory"
mutate notification-receipt-unverified src/main/java/io/orderly/notification/internal/DeliveryReceipts.java '		return secret != null && signature != null' '		return true || secret != null && signature != null' "$NP#aForgedOrUnknownReceiptChangesNothing"
mutate notification-rejection-retried $NW '			case ChannelSender.Rejected rejected -> end(delivery, "FAILED", rejected.provider(), null,
					"rejected by " + rejected.provider() + ": " + rejected.reason(), now);' '			case ChannelSender.Rejected rejected -> store.retryAt(delivery.id(), now.plus(properties.retryAfter()),
					rejected.provider(), null, "rejected: " + rejected.reason(), now);' "$NP#aNumberNobodyHasIsRefusedOnceAndNotRetried"
mutate notification-retries-unbounded $NW '			case ChannelSender.Failed failed when attempt >= properties.maxAttempts() -> {' '			case ChannelSender.Failed failed when attempt >= properties.maxAttempts() + 5 -> {' "$NP#transientFailuresAreRetriedThreeTimesThenDeadLetteredWithTheirHistory"
mutate notification-critical-no-fallback $NW '		if (delivery.priority() != Priority.CRITICAL || delivery.channel() != Channel.EMAIL) {' '		if (true) {' 'io.orderly.notification.CriticalFallbackIntegrationTest'
mutate notification-everything-falls-back $NW '		if (delivery.priority() != Priority.CRITICAL || delivery.channel() != Channel.EMAIL) {' '		if (delivery.channel() != Channel.EMAIL) {' 'io.orderly.notification.CriticalFallbackIntegrationTest'
NB=src/main/java/io/orderly/notification/internal/Broadcasts.java
mutate notification-broadcast-locale-ignored $NB "case when t.locale = any(:locales) then t.locale else 'en' end" "'en'" "$NI#aBroadcastReachesEachRecipientOnceInTheirLanguageOnTheChannelsTheyHave"
mutate notification-broadcast-email-without-address $NB 'case EMAIL -> "r.email is not null";' 'case EMAIL -> "true";' "$NI#aBroadcastReachesEachRecipientOnceInTheirLanguageOnTheChannelsTheyHave"
ND=src/main/java/io/orderly/notification/internal/Digests.java
mutate notification-digest-window-ignored $ND '		if (window == null || digests.startWindow(delivery.id(), delivery.recipient(), delivery.channel(), window, now)) {' '		if (true) {' "$NI#marketingReachesACustomerAtMostOnceAnHourAndTheRestGoInOneDigest"
mutate notification-critical-waits-for-digest $ND '		if (delivery.priority() == Priority.CRITICAL || delivery.channel() == Channel.IN_APP' '		if (delivery.channel() == Channel.IN_APP' "$NI#marketingReachesACustomerAtMostOnceAnHourAndTheRestGoInOneDigest"
mutate notification-marketing-never-yields $NW "				boolean yielding = lane.priority() == Priority.MARKETING && !properties.marketingYield().isZero();" "				boolean yielding = false;" "$NI#marketingGivesWayWhileTheApisCallersPressAndOtherMessagesDoNot"
mutate notification-every-priority-yields $NW "				boolean yielding = lane.priority() == Priority.MARKETING && !properties.marketingYield().isZero();" "				boolean yielding = !properties.marketingYield().isZero();" "$NI#marketingGivesWayWhileTheApisCallersPressAndOtherMessagesDoNot"
mutate admission-busy-ignores-turns src/main/java/io/orderly/platform/web/AdmissionFilter.java "		return taken() >= properties.busyTurns() || waiting.get() > 0" "		return waiting.get() > 0" 'AdmissionIntegrationTest#theApiIsBusyWhileItsBusyTurnsAreTakenAndForALingerAfter'
mutate notification-round-keeps-its-lease $NW "			if (!tried.isEmpty() && clock.instant().isAfter(stopAt) || yielding && foreground.busy()) {" "			if (yielding && foreground.busy()) {" "$NP#aRoundHeldUpByASlowProviderStopsAtHalfItsLeaseAndWhatItGaveBackGoesOnceAndNotIntoADigest"
mutate notification-digest-opener-forgotten src/main/java/io/orderly/notification/internal/DigestStore.java "where digest_windows.window_start <= :since or digest_windows.opened_by = excluded.opened_by" "where digest_windows.window_start <= :since" "$NP#aRoundHeldUpByASlowProviderStopsAtHalfItsLeaseAndWhatItGaveBackGoesOnceAndNotIntoADigest"
mutate notification-receipt-race-seen-before src/main/java/io/orderly/notification/internal/DeliveryReceipts.java '		return store.receipt(provider, messageId, to, "receipt from " + provider, clock.instant()) ? Result.APPLIED' '		return false ? Result.APPLIED' 'io.orderly.notification.internal.DeliveryReceiptsTest'
EF=io.orderly.notification.EmailFailoverIntegrationTest
mutate notification-email-no-second-server src/main/java/io/orderly/notification/internal/NotificationConfiguration.java "			if (settings.secondary() != null && settings.secondary().host() != null) {" "			if (false) {" "$EF#eMailTheFirstServerCannotTakeGoesByTheSecondOnceAndTheFirstIsNoLongerTriedOnceItsBreakerOpens"
mutate notification-smtp-unreachable-taken-for-unknown src/main/java/io/orderly/notification/internal/SmtpTransport.java "			if (cause instanceof MailConnectException || cause instanceof ConnectException) {" "			if (false) {" "$EF#eMailTheFirstServerCannotTakeGoesByTheSecondOnceAndTheFirstIsNoLongerTriedOnceItsBreakerOpens"
mutate notification-critical-email-waits-out-outage $NW "			case ChannelSender.Deferred deferred when deferred.down() && delivery.priority() == Priority.CRITICAL" "			case ChannelSender.Deferred deferred when false" "$EF#withBothServersDownACriticalMessageSpendsItsAttemptsAndGoesBySmsWhileOthersWait"
mutate notification-outage-never-taken-for-down src/main/java/io/orderly/notification/internal/FailoverSender.java '+ " provider can take it now (circuit open, probing, or at its rate limit)", !heldHere);' '+ " provider can take it now (circuit open, probing, or at its rate limit)", false);' "$EF#withBothServersDownACriticalMessageSpendsItsAttemptsAndGoesBySmsWhileOthersWait"
mutate notification-smtp-not-now-refused-for-good src/main/java/io/orderly/notification/internal/SmtpTransport.java "					return code >= 400 && code < 500 ? new NotTaken(" "					return false ? new NotTaken(" 'io.orderly.notification.internal.SmtpTransportTest'
mutate notification-email-outage-spends-attempts $NW "					&& delivery.channel() == Channel.EMAIL -> record(item, new ChannelSender.Failed(deferred.provider()," "					|| delivery.channel() == Channel.EMAIL -> record(item, new ChannelSender.Failed(deferred.provider()," "$EF#withBothServersDownACriticalMessageSpendsItsAttemptsAndGoesBySmsWhileOthersWait"
mutate notification-broadcast-slice-repeated $NB "				set fanned_to = coalesce(cast(:to as text), fanned_to)," "				set fanned_to = fanned_to," "$NI#aBroadcastReachesEachRecipientOnceInTheirLanguageOnTheChannelsTheyHave"
mutate notification-broadcast-ends-after-one-slice $NB "		boolean last = slice.size() < properties.broadcastSlice();" "		boolean last = true;" "$NI#aBroadcastReachesEachRecipientOnceInTheirLanguageOnTheChannelsTheyHave"
mutate kernel-unprocessable-retried $C '			if (failure.unprocessable()) {' '			if (false) {' 'MessagingIntegrationTest#anUnprocessableMessageIsDeadLetteredAtItsFirstFailureAndItsSubjectGoesOn'
if $CHECK; then
  echo "$COUNT mutants, $STALE stale"
  [ "$STALE" -eq 0 ]
  exit
fi
echo DONE >> $OUT
cat $OUT
