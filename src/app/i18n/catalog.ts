/**
 * The simulator's words in English and French. English is the source of truth; French must have
 * exactly the same keys (a compile error otherwise) and the same {placeholders} (checked by the
 * tests). Plural forms live under two keys, `<base>.one` and `<base>.other`, picked with
 * Intl.PluralRules (so French "0 bloc" is singular, as it should be).
 *
 * Write French with ordinary spaces before ":", ";", "!", "?", "%" and "»" and after "«": the
 * formatter turns them into no-break spaces, so a line never starts with a colon.
 */
import { ROUTE_SUMMARIES } from '../../api/route-list.ts';
import type { DropReason } from '../../core/mempool.ts';
import type { RejectReason } from '../../core/validation.ts';
import type { ParamProblem } from '../../lab/params.ts';
import { POISSON_VS_EXACT } from '../../lab/theory.ts';

/** The languages the simulator speaks. */
export type Locale = 'en' | 'fr';

/** Every locale, in the order the language switch lists them. */
export const LOCALES = ['en', 'fr'] as const satisfies readonly Locale[];

/** Is this string a locale we speak? */
export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fr';
}

/**
 * Why a block or payment was refused, in English: one sentence per RejectReason (the union in
 * src/core/validation.ts is the one list of reasons) and a fallback. `satisfies` makes a missing
 * reason, or a sentence for a reason that does not exist, a compile error.
 */
const REJECT_SENTENCES = {
  'reject.malformed': 'It could not be read, because its data is damaged or in the wrong format.',
  'reject.oversize': 'It is larger than a block is allowed to be.',
  'reject.bad-version': 'It uses a block format this network does not know.',
  'reject.bad-pow': 'Its proof of work is wrong (its hash is not small enough for the difficulty).',
  'reject.bad-target': 'It uses the wrong difficulty for its place in the chain.',
  'reject.orphan-too-easy':
    'Its parent is unknown here and it is far easier than this chain: its branch is fetched from the fork instead.',
  'reject.bad-merkle-root':
    'Its fingerprint of its payments (the Merkle root) does not match the payments it carries.',
  'reject.bad-previous-hash': 'It does not link to a block of this chain (wrong previous hash).',
  'reject.bad-index': 'Its block number does not follow on from the block before it.',
  'reject.time-too-old': 'Its timestamp is too early compared with the blocks before it.',
  'reject.time-too-new': 'Its timestamp is too far in the future.',
  'reject.bad-coinbase': "Its first payment, the miner's reward, is missing, misplaced or wrong.",
  'reject.bad-reward': "The miner's reward is not exactly the block reward plus the fees.",
  'reject.wrong-chain': 'A payment was signed for a different network.',
  'reject.bad-amount': 'The amount must be a whole number of coins, at least 1.',
  'reject.bad-fee': 'The fee must be a whole number of coins, 0 or more.',
  'reject.bad-signature':
    'The signature does not match the sender, so the payment was forged or altered.',
  'reject.bad-nonce':
    "The payment's counter (nonce) is not the sender's next one, so it may be a replay or out of order.",
  'reject.insufficient-funds': 'The sender does not have enough coins for the amount plus the fee.',
  'reject.double-spend':
    'Two payments from the same sender use the same counter (nonce), so only one of them can count.',
  'reject.duplicate': 'The same payment was already received, and it must not count twice.',
  'reject.invalid-parent': 'It builds on a block that was rejected.',
  'reject.mempool-full': 'Too many payments are waiting; try again after the next block.',
  'reject.unknown': 'It breaks a rule of the network.',
} satisfies Record<`reject.${RejectReason}` | 'reject.unknown', string>;

/** The reasons a sentence table names (`<prefix>.<reason>`), its `unknown` fallback left out. */
function reasonsOf(sentences: object, prefix: string): readonly string[] {
  return Object.keys(sentences).flatMap((key) =>
    key === `${prefix}.unknown` ? [] : [key.slice(prefix.length + 1)],
  );
}

/** Does the sentence table name this reason? */
function hasReason(sentences: object, prefix: string, value: string): boolean {
  return value !== 'unknown' && Object.hasOwn(sentences, `${prefix}.${value}`);
}

/** Every reason a block or payment can be refused for, read off the sentences above. */
export const REJECT_REASONS = reasonsOf(REJECT_SENTENCES, 'reject') as readonly RejectReason[];

/**
 * Why a waiting payment was dropped, in English: one sentence per DropReason (the union in
 * src/core/mempool.ts) and a fallback, checked by `satisfies` like the rejection sentences.
 */
const DROP_SENTENCES = {
  'drop.nonce-used':
    'Another payment from the same sender with this nonce is on the best chain, so this one can never count.',
  'drop.nonce-conflict':
    'Another waiting payment from the same sender uses the same nonce, and only one of them can count.',
  'drop.insufficient-funds':
    'The sender no longer has the coins for it, perhaps because they came from blocks that left the best chain.',
  'drop.mempool-full': 'Too many payments were waiting to keep this one.',
  'drop.unknown': 'It can no longer become valid.',
} satisfies Record<`drop.${DropReason}` | 'drop.unknown', string>;

/** Every reason a waiting payment can be dropped for, read off the sentences above. */
export const DROP_REASONS = reasonsOf(DROP_SENTENCES, 'drop') as readonly DropReason[];

/** Is this string one of the reasons the mempool drops a payment for? */
export function isDropReason(value: string): value is DropReason {
  return hasReason(DROP_SENTENCES, 'drop', value);
}

/** Is this string one of the reasons validation gives? */
export function isRejectReason(value: string): value is RejectReason {
  return hasReason(REJECT_SENTENCES, 'reject', value);
}

/**
 * English: the source of truth. Reject sentences are full sentences that start with an ordinary
 * word (never a name or an acronym) and end with a full stop: narration turns them into a clause
 * after a colon.
 */
export const en = {
  // The app
  'app.title': 'Chainlab',
  'app.tagline': 'A real proof-of-work blockchain network, running in your browser.',
  'app.starting': 'Starting the nodes…',
  'app.dismissProblem': 'Dismiss this message',

  // Guided tour
  'tour.label': 'Guided tour',
  'tour.progress': 'Step {step} of {total}',
  'tour.next': 'Next',
  'tour.back': 'Back',
  'tour.skip': 'Skip the tour',
  'tour.finish': 'Finish',
  'tour.reopen': 'Reopen the tour',
  'tour.tryIt': 'Try it:',
  'tour.chain.try':
    'click block #1, the genesis block every node shares, to see what a block holds.',
  'tour.mining.try': 'press “Mine one block” on n1: block #2 appears and n1 earns 1 coin.',
  'tour.api.try':
    'in the Wallet, send 1 coin from n1 to n2 and mine again; then open the API console and send GET /node/n2/wallet.',
  'tour.consensus.try':
    'in Network, put n1 in group 1 and the others in group 2, split, mine on both sides, then heal the network and watch every marker move to one branch.',
  'tour.chain.title': 'A chain of blocks',
  'tour.chain.body':
    'A blockchain is a list of blocks, each holding a few payments. Every block carries a fingerprint (a hash) of the block before it, so the blocks are chained together. Change anything in an old block and its fingerprint changes, which breaks every link after it.',
  'tour.mining.title': 'Mining',
  'tour.mining.body':
    "To add a block, a node must find a number, the proof, that makes the block's fingerprint start with enough zeros. The only way is to try one number after another, millions of times: that work is what mining means. The first node to succeed earns a reward in coins.",
  'tour.api.title': 'Talking to a node through its API',
  'tour.api.body':
    "Each node answers requests, like a small web server: ask it for its chain, send it a payment, or tell it to mine. The API console shows every request and its answer. You can type the same requests in your browser's console with window.chainlab.request.",
  'tour.consensus.title': 'Agreeing on one chain',
  'tour.consensus.body':
    'Nodes pass new blocks to each other, but two of them may mine a block at the same moment, or a network split may keep them apart. Each node then follows the branch that took the most work to build. When the others hear of a stronger branch, they switch to it and the network agrees again.',

  // Node panel
  'node.panel': 'Nodes',
  'node.name': 'Name',
  'node.mining': 'Mining',
  'node.mining.on': 'On',
  'node.mining.off': 'Off',
  'node.mining.start': 'Start mining',
  'node.mining.stop': 'Stop mining',
  'node.mine': 'Mine one block',
  'node.resolve': 'Resolve conflicts',
  'node.hashrate': 'Hash-rate share',
  'node.hashrate.value': '{percent}%',
  'node.height': 'Height',
  'node.tip': 'Tip',
  'node.balance': 'Balance',
  'node.peers': 'Peers',
  'node.peers.none': 'none',
  'node.mempool': 'Mempool size',
  'node.hashesPerSecond': 'Hashes per second',
  'node.hashesPerSecond.value': '{value} kH/s',
  'node.add': 'Add a node',
  'node.remove': 'Remove {node}',
  'node.actions': 'Actions',

  // Classroom
  'classroom.title': 'Classroom',
  'classroom.intro':
    "Join your class's room: every learner's nodes then mine on one network, and everyone sees the same tree.",
  'classroom.code': 'Room code',
  'classroom.learner': 'Your name',
  'classroom.nodes': 'Nodes in this browser',
  'classroom.more': 'Server and teacher key',
  'classroom.server': 'Server address',
  'classroom.teacherKey': 'Teacher key (the teacher only)',
  'classroom.join': 'Join the room',
  'classroom.joining': 'Joining…',
  'classroom.leave': 'Leave the room',
  'classroom.in': 'In room {code} as {learner}.',
  'classroom.teacher': 'You are the teacher.',
  'classroom.connected': 'Connected.',
  'classroom.reconnecting': 'Connection lost: reconnecting…',
  'classroom.members': 'In the room',
  'classroom.members.none': 'Nobody else yet.',
  'classroom.member.learner': 'Learner',
  'classroom.member.nodes': 'Nodes',
  'classroom.member.height': 'Height',
  'classroom.rejected': 'Messages dropped (forged, replayed or junk): {count}',
  'classroom.muted': 'Muted for sending junk: {nodes}',
  'classroom.qr': 'Learners scan this code to open the room: {link}',
  'classroom.controls': "Teacher's controls",
  'classroom.group': 'Group of {learner}',
  'classroom.groupColumn': 'Group',
  'classroom.split': 'Split the room',
  'classroom.heal': 'Heal the room',
  'classroom.latency': 'Latency for everyone (ms)',
  'classroom.loss': 'Message loss for everyone (%)',
  'classroom.applyNetwork': 'Set latency and loss',
  'classroom.problem.latency': 'Latency is a whole number of milliseconds, from 0 to 10000.',
  'classroom.problem.loss': 'Message loss is a percentage from 0 to 100.',
  'classroom.mineAll': 'Everyone mines',
  'classroom.stopAll': 'Everyone stops mining',
  'classroom.reset': 'Reset the room',
  'classroom.removeNode': 'Node to remove',
  'classroom.remove': 'Remove the node',
  'classroom.problem.bad-address':
    'The server address must start with ws:// or wss://, like ws://192.168.1.10:8443.',
  'classroom.problem.bad-code': 'A room code has 16 letters and digits, like 7K2M-Q9XD-4HRT-B1ZP.',
  'classroom.problem.bad-name': 'Type your name: 1 to 32 characters.',
  'classroom.problem.bad-teacher-key': 'A teacher key has 32 letters and digits in groups of four.',
  'classroom.problem.bad-nodes': 'Choose 1 to 4 nodes for this browser.',
  'classroom.problem.unreachable':
    "The room's server does not answer at that address: check it with your teacher, and that this computer is on the same network.",
  'classroom.problem.wrong-code': 'That room code is wrong: check it with your teacher.',
  'classroom.problem.wrong-teacher-key':
    'That teacher key is wrong, or belongs to an earlier room: each npm run classroom makes a new room and key.',
  'classroom.problem.expired-teacher-key':
    'This teacher key expired at {time}. For a new key to the same room, run npm run classroom -- --room followed by the room code.',
  'classroom.teacherUntil': 'Your teacher key lasts until {time}.',
  'classroom.teacherExpired':
    'Your teacher key expired at {time}: you stay in the room as a learner, without the controls. For a new key, run npm run classroom -- --room {code} where the room runs.',
  'classroom.problem.blocked':
    "This site's security policy does not allow connecting to that server: its connect-src must name the room's address (see docs/classroom.md).",

  // Network panel
  'network.title': 'Network',
  'network.peers': 'Registered peers',
  'network.register': 'Register peers',
  'network.latency': 'Latency',
  'network.latency.value': '{ms} ms',
  'network.loss': 'Message loss',
  'network.loss.value': '{percent}%',
  'network.partition': 'Split into partitions',
  'network.partition.help':
    'Put each node in a group: nodes in different groups cannot hear each other until you heal the network.',
  'network.partition.group': 'Group {n}',
  'network.heal': 'Heal the network',
  'network.whole': 'The network is whole.',
  'network.split': 'The network is split into {count} groups.',

  // Block inspector
  'block.title': 'Block {index}',
  'block.index': 'Index',
  'block.timestamp': 'Timestamp',
  'block.proof': 'Proof',
  'block.hash': 'Hash',
  'block.previousHash': 'Previous hash',
  'block.merkleRoot': 'Merkle root',
  'block.merkleRoot.help':
    "A fingerprint of all the block's payments: change a single payment and it changes too.",
  'block.difficulty': 'Difficulty',
  'block.difficulty.value': '{bits} leading zero bits',
  'block.target': 'Target',
  'block.target.help': "The block's hash, read as a number, must be below this target.",
  'block.transactions': 'Transactions',
  'block.coinbase': "Miner's reward",
  'block.heldBy': 'Held on the best chain of',
  'block.heldBy.none': "Not on any node's best chain",
  'block.close': 'Close',

  // Tamper lab: edit a copy of a block and see what breaks
  'tamper.edit': 'Edit a copy',
  'tamper.title': 'Tamper lab',
  'tamper.intro':
    'Change one payment in a copy of block {index} and see what breaks. The copy lives only on this page: no node stores it.',
  'tamper.loading': 'Copying the chain from {node}…',
  'tamper.noChain':
    'No node has this block on its best chain any more, so there is nothing to copy.',
  'tamper.payment': 'Payment',
  'tamper.payment.option': '#{n}: {amount} to {to}, fee {fee}',
  'tamper.payment.help':
    "Only payments can be edited: the miner's reward carries no signature, so changing it and re-mining would make a valid competing block, not a forgery.",
  'tamper.field': 'What to change',
  'tamper.field.recipient': 'Recipient',
  'tamper.value': 'New value',
  'tamper.value.now': 'In the block now: {value}',
  'tamper.apply': 'Edit the copy',
  'tamper.cancel': 'Cancel',
  'tamper.error.unchanged': 'That is the value already in the block: change it to see what breaks.',
  'tamper.copy.title': 'Your copy: block {first} to block {last}',
  'tamper.block.edited': 'Block {index}, edited',
  'tamper.block.remined': 'Block {index}, re-mined',
  'tamper.block.honest': 'Block {index}, unchanged',
  'tamper.was': 'was {value}',
  'tamper.proof.ok': 'Target met: its hash is below its target.',
  'tamper.proof.bad':
    'Target missed: the edit changed its hash, which is no longer below the target.',
  'tamper.signature.bad':
    "Signature broken: the payment still carries the sender's old signature, which no longer matches, and no amount of mining can fix that.",
  'tamper.payment.bad': 'Payment refused: {why}',
  'tamper.link.anchor': 'Linked: it names block {index}, which nobody changed.',
  'tamper.link.ok': 'Linked: it names your copy of block {index}.',
  'tamper.link.bad':
    'Link broken: it names the original block {index}, whose hash is different in your copy.',
  'tamper.link.cut':
    'Link broken: the chain is already cut before it, so it no longer follows from the edited block.',
  'tamper.remineThis': 'Re-mine this block',
  'tamper.remineThis.name': 'Re-mine this block (block {index})',
  'tamper.remineAll': 'Re-mine all',
  'tamper.stop': 'Stop re-mining',
  'tamper.discard': 'Discard copy',
  'tamper.offer': 'Offer it to a peer',
  'tamper.offer.node': 'Peer',
  'tamper.expected': 'At this difficulty a block takes about {hashes} on average.',
  'tamper.progress': 'Re-mining block {index}: {hashes} tried so far.',
  'tamper.remined.next':
    'Block {index} re-mined after {hashes}: its target is met, but block {next} still names its old hash.',
  'tamper.remined.last': 'Block {index} re-mined after {hashes}: its target is met.',
  'tamper.remineAll.done':
    'Re-mining {blocks} took {hashes}; meanwhile the honest chain grew by {growth}.',
  'tamper.stopped': 'Stopped after {hashes}.',
  'tamper.race': 'Your copy ends at block {copy}; the honest chain is at block {honest}.',
  'tamper.offer.rejected': '{node} refused block {index}: {why}.',
  'tamper.offer.orphan':
    '{node} set block {index} aside, in memory only: it lacks the block it builds on.',
  'tamper.offer.accepted': '{node} accepted block {index}.',
  'tamper.offer.known': '{node} already had block {index}.',
  'tamper.offer.unreadable': '{node} could not read a block: {error}.',
  'tamper.offer.failed': 'The node did not answer: {error}',
  'tamper.offer.note': 'A refused block is never stored; the refusal is in the event log too.',

  // Wallet
  'wallet.title': 'Wallet',
  'wallet.address': 'Address',
  'wallet.from': 'From',
  'wallet.from.option': '{node} (balance: {balance})',
  'wallet.to': 'To',
  'wallet.to.help': 'An address (40 hex digits) or the id of a node, like n2',
  'wallet.to.another': 'Another address…',
  'wallet.to.address': 'Recipient address',
  'wallet.amount': 'Amount',
  'wallet.fee': 'Fee',
  'wallet.fee.help': 'Optional: miners take the payments with the highest fees first.',
  'wallet.send': 'Send',
  'wallet.sending': 'Sending the payment…',
  'wallet.noNodes': 'There is no node to pay from yet.',
  'wallet.sent': 'Payment sent: it will be added to block {index}.',
  'wallet.error.recipientMissing': 'Choose who receives the payment.',
  'wallet.error.fromMissing': 'Choose the node whose wallet pays.',
  'wallet.error.recipient':
    'The recipient must be an address (40 hex digits) or the id of a node, like n2.',
  'wallet.error.unknownNode': 'There is no node called {node}.',
  'wallet.error.amountMissing': 'Enter an amount.',
  'wallet.error.amountWhole': 'The amount must be a whole number of coins.',
  'wallet.error.amountMin': 'The amount must be at least 1 coin.',
  'wallet.error.amountTooLarge': 'The amount is too large.',
  'wallet.error.feeWhole': 'The fee must be a whole number of coins.',
  'wallet.error.feeNegative': 'The fee cannot be negative.',
  'wallet.error.feeTooLarge': 'The fee is too large.',
  'wallet.error.funds':
    'Not enough coins: {node} has {balance} and this payment needs {needed} (amount plus fee).',
  'wallet.error.refused': 'The node refused the payment: {why}',
  'wallet.error.unreachable': 'The node did not answer: {error}',

  // Amounts
  'unit.coins.one': '{count} coin',
  'unit.coins.other': '{count} coins',
  'unit.hashes.one': '{count} hash',
  'unit.hashes.other': '{count} hashes',
  'unit.blocks.one': '{count} block',
  'unit.blocks.other': '{count} blocks',

  // Event log
  'events.title': 'Event log',
  'events.filter.node': 'Node',
  'events.filter.allNodes': 'All nodes',
  'events.filter.kind': 'Kind',
  'events.filter.allKinds': 'All kinds',
  'events.kind.mining': 'Mining',
  'events.kind.consensus': 'Consensus',
  'events.kind.rejection': 'Rejections',
  'events.kind.network': 'Network',
  'events.kind.storage': 'Storage',
  'events.kind.payment': 'Payments',
  'events.time': 'Time',
  'events.what': 'What happened',
  'events.empty': 'Nothing has happened yet.',
  'events.noMatch': 'No events match these filters.',
  'events.reorg': 'Reorg',
  'events.showing': 'Showing the newest {shown} of {total} matching events.',
  'events.clear': 'Clear the log',

  // API console
  'console.title': 'API console',
  'console.method': 'Method',
  'console.route': 'Route',
  'console.body': 'Body (JSON)',
  'console.body.invalid': 'The body is not valid JSON: {error}',
  'console.send': 'Send',
  'console.pending': 'Waiting for the node…',
  'console.status': 'Status',
  'console.answer': 'Answer',
  'console.history': 'History',
  'console.history.empty': 'No requests yet.',
  'console.copy': 'Copy as a window.chainlab.request line',
  'console.copied': 'Copied to the clipboard.',
  'console.copyFailed': 'Could not copy: select the line and copy it by hand.',
  'console.group.sim': 'Simulation routes',
  'console.group.node': 'Node routes',
  'console.param.id': 'Node (:id)',
  'console.param.hash': 'Block hash (:hash)',
  'console.param.address': 'Address (:address)',
  'console.param.txid': 'Payment id (:txid)',
  'console.param.hex': '{count} hex digits',
  'console.param.missing': 'Fill in {param} first.',
  'console.noBody': 'This route takes no body.',
  'console.example': 'Restore the example',
  'console.answer.none': 'Send a request to see the answer.',
  'console.failed': 'The request failed: {error}',
  // One summary per route, written with the route (src/api/route-list.ts)
  ...ROUTE_SUMMARIES,

  // Simulation settings
  'settings.title': 'Simulation settings',
  'settings.nodes': 'Number of nodes',
  'settings.forkChoice': 'Fork-choice rule',
  'settings.forkChoice.mostWork': 'Most work',
  'settings.forkChoice.longest': 'Longest chain',
  'settings.forkChoice.help':
    'Most work follows the branch that took the most hashing to build; longest chain, as in the tutorial, only counts blocks.',
  'settings.gossip': 'Gossip',
  'settings.gossip.auto': 'Automatic',
  'settings.gossip.manual': 'Manual',
  'settings.gossip.help':
    'Automatic: nodes pass new blocks and payments on by themselves. Manual: nothing moves until you ask a node to resolve conflicts, as in the tutorial.',
  'settings.peers': 'Peers at the start',
  'settings.peers.all': 'Every node registered with every other',
  'settings.peers.none': 'No peers: register them yourself, as in the tutorial',
  'settings.blockTime': 'Target block time',
  'settings.blockTime.value': '{seconds} s',
  'settings.blockTime.seconds': 'Target block time, in seconds',
  'settings.difficulty': 'Starting difficulty',
  'settings.difficulty.value': '{bits} leading zero bits',
  'settings.reward': 'Block reward',
  'settings.reset': 'Reset the simulation',
  'settings.reset.confirm': 'Start afresh? Every chain, wallet and setting will be wiped.',

  // Language switch
  'language.label': 'Language',
  'language.en': 'English',
  'language.fr': 'Français',

  // The block tree and its text alternative
  'tree.title': 'Block tree',
  'tree.showTable': 'Show as a table',
  'tree.showPicture': 'Show as a picture',
  'tree.help': 'Arrow keys move the view, plus and minus zoom, F follows the newest blocks.',
  'tree.follow': 'Follow the newest blocks',
  'tree.table.caption': 'Tips and forks of the block tree',
  'tree.table.branch': 'Branch',
  'tree.table.tip': 'Last block',
  'tree.table.height': 'Height',
  'tree.table.forksAt': 'Splits off after block',
  'tree.table.nodes': 'Nodes following it',
  'tree.table.nodes.none': 'none',
  'tree.table.status': 'Status',
  'tree.table.status.best': 'Best chain',
  'tree.table.status.stale': 'Abandoned branch',
  'tree.table.noForks': 'No forks: every block is on one chain.',
  'nodes.caption':
    'Every node: height, tip, mining, hash-rate share, hashes per second, peers and mempool',
  'nodes.col.node': 'Node',
  'nodes.col.share': 'Share',
  'nodes.col.hashes': 'kH/s',
  'nodes.col.mempool': 'Mempool',
  'nodes.col.tip': 'Tip',
  'nodes.mining.on': 'On',
  'nodes.mining.off': 'Off',
  'nodes.chosen': 'Node {node}',
  'nodes.hint': 'Pick a node by its name to mine with it, resolve or remove it.',
  'nodes.room.title': 'Other nodes in the room',
  'nodes.room.caption': "The room's nodes in other browsers: learner, node, height and tip",
  'nodes.room.readonly': 'Each browser runs its own nodes: this page only watches these.',
  'nodes.room.none': 'No other node in the room yet.',
  'display.projector': 'Projector mode',
  'display.side': 'The network and its nodes',
  'display.side.hide': 'Hide the side panel',
  'display.side.show': 'Show the side panel',
  'display.bottom': 'Tools and events',
  'display.bottom.hide': 'Fold the tools away',
  'display.bottom.show': 'Show the tools',
  'block.bits': '{bits} bits',
  'charts.title': 'Charts',
  'netview.title': 'The network',
  'netview.showTable': 'Show the network as a table',
  'netview.showPicture': 'Show the network as a picture',
  'netview.summary.nodes.one': '{count} node,',
  'netview.summary.nodes.other': '{count} nodes,',
  'netview.summary.links.one': '{count} link.',
  'netview.summary.links.other': '{count} links.',
  'netview.summary.whole': 'The network is whole.',
  'netview.summary.split.one': 'Split into {sides} groups: {count} link cut.',
  'netview.summary.split.other': 'Split into {sides} groups: {count} links cut.',
  'netview.node.select': 'select this node',
  'netview.kind.inv': 'inv: “I have it”',
  'netview.kind.getdata': 'getdata: “send it”',
  'netview.kind.block': 'block',
  'netview.kind.tx': 'payment',
  'netview.kind.sync': 'catch-up',
  'netview.legend.cut': 'cut by the partition',
  'netview.still':
    'Motion is reduced, so messages are not drawn moving: the table view counts them.',
  'netview.table.caption': 'Nodes, their groups and their links',
  'netview.table.node': 'Node',
  'netview.table.side': 'Group',
  'netview.table.whole': 'one network',
  'netview.table.reachable': 'Peers it can reach',
  'netview.table.cut': 'Peers cut off',
  'netview.table.messages': 'Messages in the last 5 seconds',
  'netview.table.kind': 'Kind',
  'netview.table.recent': 'Delivered, and lost or cut',
  'netview.table.count': '{delivered} delivered, {stopped} lost or cut',

  // The views: the simulator and the lab
  'view.label': 'Views',
  'view.simulator': 'Simulator',
  'view.experiments': 'Experiments',

  // The lab: experiments on real nodes, run many times over
  'lab.title': 'Experiments',
  'lab.intro':
    'Each experiment runs real nodes many times over, in a worker of its own, and sets what they did beside the theory.',
  'lab.loading': 'Loading the experiments…',
  'lab.experiment': 'Experiment',
  'lab.parameters': 'Parameters',
  'lab.hint.list': '{range}; one value or a comma list, e.g. {example}.',
  'lab.hint.choice': 'One of: {choices}.',
  'lab.hint.text': 'Written as {forms}; checked when the run starts.',
  'lab.runs': 'Runs per point',
  'lab.hint.runs': 'Each point is measured this many times: {range}.',
  'lab.seed': 'Seed',
  'lab.hint.seed': '{range}; the same seed gives the same result.',
  'lab.run': 'Run',
  'lab.cancel': 'Cancel',
  'live.pool.title': 'Selfish mining, live',
  'live.pool.params': 'pool share {alpha}, {blocks} blocks',
  'live.pool.play': 'Play it live (resets the network to n1, n2 and n3)',
  'live.pool.playHint':
    "n1 is the pool, n2 and n3 the honest miners; the pool's share is the form's first alpha, and the run lasts 40 blocks on the simulator's own nodes.",
  'live.pool.reset':
    'The network is reset to three nodes: n1, the pool, keeps the blocks it mines to itself; n2 and n3 mine honestly.',
  'live.pool.mining':
    'All mine: the pool with {alpha} of the hash rate, n2 and n3 with {honest} each.',
  'live.pool.withheld': 'The pool found a block and keeps it secret: it is {lead} ahead.',
  'live.pool.adopted':
    'An honest block arrived while the pool had nothing ahead: the pool mines on the public chain.',
  'live.pool.tie':
    'An honest block arrived: the pool reveals its one secret block, and the two race. Each honest node mines on the one it saw first.',
  'live.pool.revealedAll':
    'The pool reveals {count} secret blocks: its branch is longer, and the honest blocks on the other branch are orphaned.',
  'live.pool.revealedOne':
    'An honest block arrived: the pool reveals one more block to stay level, still {lead} ahead in secret.',
  'live.pool.share':
    'Done: the pool has {pool} of the {total} blocks on the final chain ({share}), against its fair share of {alpha}.',
  'live.title': 'Live double-spend race',
  'live.params': 'attacker share {q}, {z} confirmations, {win}',
  'live.play': 'Play one race live (resets the network to n1 and n2)',
  'live.playHint':
    "n1 is the merchant and the honest network, n2 the attacker; the race is run on the simulator's own nodes, with q, z and the win rule taken from the first values above.",
  'live.stop': 'Stop the race',
  'live.close': 'Close',
  'live.stopped': 'Stopped. The nodes keep what they have.',
  'live.failed': 'The race could not go on: {message}',
  'live.reset': 'The network is reset to two nodes: n1, the merchant, and n2, the attacker.',
  'live.funded': 'n2 mined block {height} and owns a coin; n1 has seen it.',
  'live.paid': 'n2 signs a payment of its coin to n1 ({txid}…) and hands it to n1 only.',
  'live.hidden':
    'n2 cuts itself off and pays the same coin back to itself: that payment goes in its private branch.',
  'live.mining': 'Both mine: the attacker with {q} of the hash rate, the honest network with {p}.',
  'live.confirmations': "The merchant's payment has {count} of {needed} confirmations.",
  'live.released': 'With {count} confirmations the merchant hands over the goods.',
  'live.race': "The attacker's private branch: {attacker} blocks; the honest chain: {honest}.",
  'live.caughtUp':
    'The attacker has caught up ({attacker} blocks against {honest}) and releases its branch.',
  'live.gaveUp':
    'The attacker gives up: {behind} blocks behind, its chance of ever catching up is {chance}.',
  'live.reversed':
    "The merchant's node switched to the attacker's branch: the payment to the merchant is gone. Double spend!",
  'live.kept':
    "The merchant's node kept its chain (a tie keeps the first seen, or an honest block came first): the payment stands.",
  'lab.progress': 'Progress',
  'lab.progress.value': '{done} of {total} runs',
  'lab.status.invalid': 'Nothing was started: correct the fields marked with ⚠ first.',
  'lab.status.running': 'Running {experiment}…',
  'lab.status.cancelling': 'Cancelling…',
  'lab.status.cancelled': 'Cancelled: nothing was kept.',
  'lab.status.done.one': 'Done: {count} point measured.',
  'lab.status.done.other': 'Done: {count} points measured.',
  'lab.status.failed': 'The experiment stopped: {why}',
  'lab.result': 'Result',
  'lab.empty': 'Run the experiment: its points will appear here as they are measured.',
  'lab.chart.caption':
    '{y} against {x}: dots are measured, with their 95% intervals; lines are theory. {runs} runs per point, seed {seed}.',
  'lab.chart.measured': 'Measured, with its 95% interval',
  'lab.chart.rule': '{name}: {param} = {value}',
  'lab.chart.axis': '{name}: {label}',
  'lab.interval': '[{low}, {high}]',
  'lab.y.double-spend': 'Share of races the attacker won',
  'lab.y.selfish-mining': "Pool's share of the chain's blocks",
  'lab.y.stale-rate': 'Share of mined blocks that went stale',
  'lab.y.retarget': 'Mean block interval, seconds',
  'lab.y.default': 'Measured value',
  'lab.theory.exact': 'Exact probability (Rosenfeld)',
  'lab.theory.nakamoto': "Nakamoto's approximation (Poisson)",
  'lab.theory.eyal_sirer': 'Selfish revenue (Eyal and Sirer)',
  'lab.theory.fair_share': 'Fair share (alpha)',
  'lab.theory.threshold': 'Threshold where selfish mining pays',
  'lab.theory.model': 'Model: 1 − exp(−d/T)',
  'lab.theory.expected': 'Retarget rule on expected times',
  'lab.theory.mean': 'Exact mean of the rule',
  'lab.poissonVsExact': POISSON_VS_EXACT,
  'lab.table.caption': 'The measured points, as numbers',
  'lab.table.measured': 'Measured',
  'lab.table.ci95': '95% interval',
  'lab.export': 'Download the result',
  'lab.export.csv': 'Download CSV',
  'lab.export.json': 'Download JSON',
  'lab.export.svg': 'Download the chart (SVG)',
  'lab.export.png': 'Download the chart (PNG)',

  // Network charts (src/app/charts/network-charts.ts, NetworkCharts.svelte)
  'charts.showTables': 'Show as tables',
  'charts.showCharts': 'Show as charts',
  'charts.nodes': 'Nodes',
  'charts.nodes.select': 'Nodes (pick one to pick it out in every chart)',
  'charts.table.caption': '{title}, as numbers',
  'charts.noNodes': 'There is no node to show.',
  'charts.col.node': 'Node',
  'charts.interval.title': 'Block interval and difficulty',
  'charts.interval.caption':
    'Along the best chain (most work) to block {height}: seconds since the parent block, and difficulty in bits.',
  'charts.interval.caption.bucketed':
    'Along the best chain (most work) to block {height}, means of {size} blocks: seconds since the parent block, and difficulty in bits.',
  'charts.interval.caption.none':
    'Along the best chain (most work): seconds since the parent block, and difficulty in bits.',
  'charts.interval.empty':
    'No block has been mined yet: this chart fills in as the best chain grows.',
  'charts.interval.firstOnly':
    'The first mined block has no interval: its parent, the genesis block, carries a fixed date.',
  'charts.interval.axis.height': 'Block height',
  'charts.interval.axis.interval': 'Seconds since the parent block',
  'charts.interval.axis.meanInterval': 'Mean seconds since the parent block',
  'charts.interval.axis.difficulty': 'Difficulty (leading zero bits)',
  'charts.interval.axis.meanDifficulty': 'Mean difficulty (leading zero bits)',
  'charts.interval.col.height': 'Height',
  'charts.interval.col.heights': 'Heights',
  'charts.interval.col.interval': 'Seconds since the parent',
  'charts.interval.col.meanInterval': 'Mean seconds since the parent',
  'charts.interval.col.difficulty': 'Difficulty',
  'charts.interval.col.meanDifficulty': 'Mean difficulty',
  'charts.shares.title': 'Hash rate and blocks mined',
  'charts.shares.caption.one':
    "Each node's share of the hash rate now, beside its share of the best chain's blocks ({count} mined).",
  'charts.shares.caption.other':
    "Each node's share of the hash rate now, beside its share of the best chain's blocks ({count} mined).",
  'charts.shares.hash': 'Hash rate now',
  'charts.shares.blocks': 'Blocks mined',
  'charts.shares.others': 'others',
  'charts.shares.axis': 'Share of the network',
  'charts.shares.empty': 'No node is hashing and no block has been mined yet.',
  'charts.shares.noHashing': 'No node is hashing right now: only the shares of blocks are drawn.',
  'charts.shares.noBlocks': 'No block has been mined yet: only the hash-rate shares are drawn.',
  'charts.shares.col.hashesPerSecond': 'Hashes per second',
  'charts.shares.col.hashShare': 'Share of the hash rate',
  'charts.shares.col.blocks': 'Blocks on the best chain',
  'charts.shares.col.blockShare': 'Share of the blocks',
  'charts.stale.title': 'Stale blocks per node',
  'charts.stale.caption':
    'Blocks each node holds off its own best chain (stale), as the node counts them.',
  'charts.stale.axis': 'Stale blocks (count)',
  'charts.stale.col': 'Stale blocks',
  'charts.stale.none': 'No node holds a stale block yet.',
  'charts.mempool.title': 'Mempool size over time',
  'charts.mempool.caption':
    "Payments waiting in each node's mempool over the last {span}; time in seconds before the latest sample.",
  'charts.mempool.caption.thinned':
    "Payments waiting in each node's mempool over the last {span}, one sample in {stride}; time in seconds before the latest sample.",
  'charts.mempool.caption.none':
    "Payments waiting in each node's mempool; time in seconds before the latest sample.",
  'charts.mempool.empty': 'No mempool size has been recorded yet.',
  'charts.mempool.axis.time': 'Seconds before the latest sample',
  'charts.mempool.axis.size': 'Payments waiting (count)',

  // Why a block or payment was refused: one sentence per RejectReason
  ...REJECT_SENTENCES,

  // Narration of what nodes did (see narrate.ts)
  'narrate.mined': '{node} mined block {height}',
  'narrate.accepted': '{node} accepted block {height} from {from}',
  'narrate.caughtUp.one':
    '{node} caught up with {from}: adopted {count} block, now at block {height}',
  'narrate.caughtUp.other':
    '{node} caught up with {from}: adopted {count} blocks, now at block {height}',
  'narrate.advanced.one': '{node} added {count} block to its chain, now at block {height}',
  'narrate.advanced.other': '{node} added {count} blocks to its chain, now at block {height}',
  'narrate.switched': "{node} switched to {from}'s branch: {dropped}, {adopted}",
  'narrate.switched.local': '{node} switched to another branch: {dropped}, {adopted}',
  'narrate.dropped.one': 'dropped {count} block',
  'narrate.dropped.other': 'dropped {count} blocks',
  'narrate.adopted.mostWork.one': 'adopted {count} with more work',
  'narrate.adopted.mostWork.other': 'adopted {count} with more work',
  'narrate.adopted.longest.one': 'adopted {count} on a longer chain',
  'narrate.adopted.longest.other': 'adopted {count} on a longer chain',
  'narrate.blockRejected': '{node} rejected a block from {from}: {why}',
  'narrate.blockRejected.local': '{node} rejected a block: {why}',
  'narrate.txRejected': '{node} rejected a payment from {from}: {why}',
  'narrate.txRejected.local': '{node} refused a new payment: {why}',
  'narrate.txAccepted': '{node} accepted a payment from {from}',
  'narrate.txAccepted.local': '{node} signed a new payment',
  'narrate.messageDropped': '{node} dropped a malformed message from {from}',
  'narrate.messageDropped.notPeer':
    '{node} ignored a message from {from}, which is not one of its registered peers',
  'narrate.messageDropped.unasked': '{node} ignored an answer from {from} that it never asked for',
  'narrate.storageSkipped': '{node} skipped saved data it could not use',
  'narrate.txDropped':
    '{node} dropped a payment of {amount} from {from} to {to} (nonce {nonce}): {why}',
  'narrate.tieSeen':
    '{node} sees a branch from {from} with {same} as its own, at block {height}: it keeps the one it saw first until the next block breaks the tie',
  'narrate.tieSeen.local':
    '{node} sees another branch with {same} as its own, at block {height}: it keeps the one it saw first until the next block breaks the tie',
  'narrate.same.mostWork': 'the same work',
  'narrate.same.longest': 'the same length',

  // Why a waiting payment was dropped: one sentence per DropReason
  ...DROP_SENTENCES,

  // The timeline: the run replayed at any moment, exported and imported (src/app/timeline)
  'timeline.title': 'Timeline',
  'timeline.scrubber': 'Moment in the run',
  'timeline.scrubber.value': '{time}, block {height}',
  'timeline.play': 'Play',
  'timeline.pause': 'Pause',
  'timeline.stepBack': 'Step back',
  'timeline.stepForward': 'Step forward',
  'timeline.speed': 'Speed',
  'timeline.live': 'Live',
  'timeline.export': 'Export run',
  'timeline.import': 'Import run',
  'timeline.status.live': 'Live: this run has been recorded for {time}',
  'timeline.status.replaying': 'Replaying this run at {speed}× — {time} of {total}',
  'timeline.status.paused': 'Paused in this run — {time} of {total}',
  'timeline.status.earlierReplaying':
    'Replaying the run before the last reset at {speed}× — {time} of {total}',
  'timeline.status.earlierPaused': 'Paused in the run before the last reset — {time} of {total}',
  'timeline.status.fileReplaying': 'Replaying {name} at {speed}× — {time} of {total}',
  'timeline.status.filePaused': 'Paused in {name} — {time} of {total}',
  'timeline.full': 'The recording is full: the rest of this run is shown live but not recorded.',
  'timeline.error.unreadable': 'This file could not be read, so nothing was opened.',
  'timeline.error.too-large':
    'This file is {size} MB, more than the {limit} MB a run may take, so it was not opened.',
  'timeline.error.not-json': 'This file is not JSON, so it cannot be a run exported from Chainlab.',
  'timeline.error.foreign':
    'This JSON file is not a Chainlab run: choose a file made with the Export run button.',
  'timeline.error.lab-export':
    'This file holds the results of the {experiment} experiment from the lab, not a recorded run: choose a file made with the Export run button.',
  'timeline.error.newer-version':
    'This run was saved by a newer Chainlab (file version {version}, and this page reads up to version {supported}), so open it there.',
  'timeline.error.too-deep':
    'This file nests lists and objects more deeply than any run does, so it was not read.',
  'timeline.error.bad-header':
    'The file says it is a Chainlab run, but its {field} is missing or wrong, so it cannot be replayed.',
  'timeline.error.too-many-entries':
    'This file holds {count} entries, more than the {limit} a run may have, so it was not opened.',
  'timeline.error.too-many-traces':
    'This file holds {count} messages, more than the {limit} a run may have, so it was not opened.',
  'timeline.error.bad-entry': 'Entry {index} of the run is damaged: {field} is missing or wrong.',
  'timeline.error.bad-trace': 'Message {index} of the run is damaged: {field} is missing or wrong.',
  'timeline.error.time-backwards':
    'Entry {index} of the run is dated before the entry ahead of it, but time in a run only goes forward.',
  'timeline.error.after-end': 'Entry {index} of the run is dated after the run ends.',
  'timeline.error.trace-order':
    'Message {index} of the run is dated before the message ahead of it, but messages are listed in the order they were heard.',
  'timeline.error.unknown-parent':
    'Entry {index} of the run adds a block whose parent {parent} appears nowhere before it, so the tree cannot be drawn.',
  'timeline.error.duplicate-block': 'Entry {index} of the run adds block {hash} a second time.',
};

/** A message key. */
export type MessageKey = keyof typeof en;

/** The base of a plural pair: `<base>.one` and `<base>.other` both exist. */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}.one`
    ? `${B}.other` extends MessageKey
      ? B
      : never
    : never;
}[MessageKey];

/** French: the same keys as English, no more, no fewer. */
export const fr: Record<MessageKey, string> = {
  // L'application
  'app.title': 'Chainlab',
  'app.tagline': 'Un vrai réseau blockchain à preuve de travail, qui tourne dans votre navigateur.',
  'app.starting': 'Démarrage des nœuds…',
  'app.dismissProblem': 'Fermer ce message',

  // Visite guidée
  'tour.label': 'Visite guidée',
  'tour.progress': 'Étape {step} sur {total}',
  'tour.next': 'Suivant',
  'tour.back': 'Précédent',
  'tour.skip': 'Passer la visite',
  'tour.finish': 'Terminer',
  'tour.reopen': 'Revoir la visite',
  'tour.tryIt': 'À vous :',
  'tour.chain.try':
    'cliquez sur le bloc n° 1, le bloc de genèse que tous les nœuds partagent, pour voir ce que contient un bloc.',
  'tour.mining.try':
    'appuyez sur « Miner un bloc » pour n1 : le bloc n° 2 apparaît et n1 gagne 1 pièce.',
  'tour.api.try':
    'dans le Portefeuille, envoyez 1 pièce de n1 à n2 puis minez à nouveau ; ouvrez ensuite la console de l’API et envoyez GET /node/n2/wallet.',
  'tour.consensus.try':
    'dans Réseau, mettez n1 dans le groupe 1 et les autres dans le groupe 2, coupez le réseau, minez des deux côtés, puis rétablissez le réseau et regardez chaque marqueur rejoindre une seule branche.',
  'tour.chain.title': 'Une chaîne de blocs',
  'tour.chain.body':
    "Une blockchain est une liste de blocs qui contiennent chacun quelques paiements. Chaque bloc porte l'empreinte (le hash) du bloc précédent : les blocs sont ainsi enchaînés. Modifiez quoi que ce soit dans un ancien bloc et son empreinte change, ce qui casse tous les liens qui suivent.",
  'tour.mining.title': 'Le minage',
  'tour.mining.body':
    "Pour ajouter un bloc, un nœud doit trouver un nombre, la preuve, qui fait commencer l'empreinte du bloc par assez de zéros. Le seul moyen est d'essayer un nombre après l'autre, des millions de fois : c'est ce travail qu'on appelle le minage. Le premier nœud qui réussit gagne une récompense en pièces.",
  'tour.api.title': 'Parler à un nœud par son API',
  'tour.api.body':
    "Chaque nœud répond à des requêtes, comme un petit serveur web : demandez-lui sa chaîne, envoyez-lui un paiement ou demandez-lui de miner. La console de l'API affiche chaque requête et sa réponse. Vous pouvez taper les mêmes requêtes dans la console de votre navigateur avec window.chainlab.request.",
  'tour.consensus.title': "Se mettre d'accord sur une seule chaîne",
  'tour.consensus.body':
    "Les nœuds se transmettent les nouveaux blocs, mais deux d'entre eux peuvent miner un bloc au même moment, ou une coupure du réseau peut les séparer. Chaque nœud suit alors la branche qui a demandé le plus de travail. Quand les autres apprennent qu'une branche plus solide existe, ils passent dessus et le réseau retrouve son accord.",

  // Panneau des nœuds
  'node.panel': 'Nœuds',
  'node.name': 'Nom',
  'node.mining': 'Minage',
  'node.mining.on': 'Activé',
  'node.mining.off': 'Désactivé',
  'node.mining.start': 'Lancer le minage',
  'node.mining.stop': 'Arrêter le minage',
  'node.mine': 'Miner un bloc',
  'node.resolve': 'Résoudre les conflits',
  'node.hashrate': 'Part de la puissance de calcul',
  'node.hashrate.value': '{percent} %',
  'node.height': 'Hauteur',
  'node.tip': 'Dernier bloc',
  'node.balance': 'Solde',
  'node.peers': 'Pairs',
  'node.peers.none': 'aucun',
  'node.mempool': 'Paiements en attente',
  'node.hashesPerSecond': 'Hachages par seconde',
  'node.hashesPerSecond.value': '{value} kH/s',
  'node.add': 'Ajouter un nœud',
  'node.remove': 'Retirer {node}',
  'node.actions': 'Actions possibles',

  // Salle de classe
  'classroom.title': 'Classe',
  'classroom.intro':
    'Rejoignez la salle de votre classe : les nœuds de chaque élève minent alors sur un seul réseau, et tout le monde voit le même arbre.',
  'classroom.code': 'Code de la salle',
  'classroom.learner': 'Votre nom',
  'classroom.nodes': 'Nœuds dans ce navigateur',
  'classroom.more': 'Serveur et clé du professeur',
  'classroom.server': 'Adresse du serveur',
  'classroom.teacherKey': 'Clé du professeur (le professeur seulement)',
  'classroom.join': 'Rejoindre la salle',
  'classroom.joining': 'Connexion…',
  'classroom.leave': 'Quitter la salle',
  'classroom.in': 'Dans la salle {code}, sous le nom {learner}.',
  'classroom.teacher': 'Vous êtes le professeur.',
  'classroom.connected': 'Connecté.',
  'classroom.reconnecting': 'Connexion perdue : reconnexion…',
  'classroom.members': 'Dans la salle',
  'classroom.members.none': 'Personne d’autre pour l’instant.',
  'classroom.member.learner': 'Élève',
  'classroom.member.nodes': 'Nœuds',
  'classroom.member.height': 'Hauteur',
  'classroom.rejected': 'Messages écartés (falsifiés, rejoués ou illisibles) : {count}',
  'classroom.muted': 'Réduits au silence pour envoi de messages invalides : {nodes}',
  'classroom.qr': 'Les élèves scannent ce code pour ouvrir la salle : {link}',
  'classroom.controls': 'Commandes du professeur',
  'classroom.group': 'Groupe de {learner}',
  'classroom.groupColumn': 'Groupe',
  'classroom.split': 'Couper la salle en deux',
  'classroom.heal': 'Réunir la salle',
  'classroom.latency': 'Latence pour tous (ms)',
  'classroom.loss': 'Perte de messages pour tous (%)',
  'classroom.applyNetwork': 'Régler latence et perte',
  'classroom.problem.latency': 'La latence est un nombre entier de millisecondes, de 0 à 10000.',
  'classroom.problem.loss': 'La perte de messages est un pourcentage de 0 à 100.',
  'classroom.mineAll': 'Tout le monde mine',
  'classroom.stopAll': 'Tout le monde arrête de miner',
  'classroom.reset': 'Remettre la salle à zéro',
  'classroom.removeNode': 'Nœud à retirer',
  'classroom.remove': 'Retirer le nœud',
  'classroom.problem.bad-address':
    'L’adresse du serveur doit commencer par ws:// ou wss://, par exemple ws://192.168.1.10:8443.',
  'classroom.problem.bad-code':
    'Un code de salle compte 16 lettres et chiffres, par exemple 7K2M-Q9XD-4HRT-B1ZP.',
  'classroom.problem.bad-name': 'Tapez votre nom : de 1 à 32 caractères.',
  'classroom.problem.bad-teacher-key':
    'Une clé de professeur compte 32 lettres et chiffres, par groupes de quatre.',
  'classroom.problem.bad-nodes': 'Choisissez de 1 à 4 nœuds pour ce navigateur.',
  'classroom.problem.unreachable':
    'Le serveur de la salle ne répond pas à cette adresse : vérifiez-la avec votre professeur, et que cet ordinateur est sur le même réseau.',
  'classroom.problem.wrong-code': 'Ce code de salle est faux : vérifiez-le avec votre professeur.',
  'classroom.problem.wrong-teacher-key':
    'Cette clé de professeur est fausse, ou appartient à une salle précédente : chaque npm run classroom crée une nouvelle salle et une nouvelle clé.',
  'classroom.problem.expired-teacher-key':
    'Cette clé de professeur a expiré le {time}. Pour une nouvelle clé de la même salle, lancez npm run classroom -- --room suivi du code de la salle.',
  'classroom.teacherUntil': "Votre clé de professeur est valable jusqu'au {time}.",
  'classroom.teacherExpired':
    'Votre clé de professeur a expiré le {time} : vous restez dans la salle comme élève, sans les commandes. Pour une nouvelle clé, lancez npm run classroom -- --room {code} là où tourne la salle.',
  'classroom.problem.blocked':
    'La politique de sécurité de ce site interdit la connexion à ce serveur : son connect-src doit nommer l’adresse de la salle (voir docs/classroom.md).',

  // Panneau du réseau
  'network.title': 'Réseau',
  'network.peers': 'Pairs enregistrés',
  'network.register': 'Enregistrer des pairs',
  'network.latency': 'Latence',
  'network.latency.value': '{ms} ms',
  'network.loss': 'Perte de messages',
  'network.loss.value': '{percent} %',
  'network.partition': 'Couper le réseau en groupes',
  'network.partition.help':
    "Placez chaque nœud dans un groupe : des nœuds de groupes différents ne s'entendent plus jusqu'à ce que vous rétablissiez le réseau.",
  'network.partition.group': 'Groupe {n}',
  'network.heal': 'Rétablir le réseau',
  'network.whole': "Le réseau est d'un seul tenant.",
  'network.split': 'Le réseau est coupé en {count} groupes.',

  // Inspecteur de bloc
  'block.title': 'Bloc {index}',
  'block.index': 'Numéro (index)',
  'block.timestamp': 'Horodatage',
  'block.proof': 'Preuve',
  'block.hash': 'Empreinte (hash)',
  'block.previousHash': 'Empreinte du bloc précédent',
  'block.merkleRoot': 'Racine de Merkle',
  'block.merkleRoot.help':
    'Une empreinte de tous les paiements du bloc : modifiez un seul paiement et elle change aussi.',
  'block.difficulty': 'Difficulté',
  'block.difficulty.value': '{bits} bits à zéro en tête',
  'block.target': 'Cible',
  'block.target.help':
    "L'empreinte du bloc, lue comme un nombre, doit être inférieure à cette cible.",
  'block.transactions': 'Transactions',
  'block.coinbase': 'Récompense du mineur',
  'block.heldBy': 'Sur la meilleure chaîne de',
  'block.heldBy.none': "Sur la meilleure chaîne d'aucun nœud",
  'block.close': 'Fermer',

  // Atelier de falsification : modifier une copie d'un bloc et voir ce qui casse
  'tamper.edit': 'Modifier une copie',
  'tamper.title': 'Atelier de falsification',
  'tamper.intro':
    "Changez un paiement dans une copie du bloc {index} et voyez ce qui casse. La copie n'existe que sur cette page : aucun nœud ne l'enregistre.",
  'tamper.loading': 'Copie de la chaîne depuis {node}…',
  'tamper.noChain':
    "Plus aucun nœud n'a ce bloc dans sa meilleure chaîne : il n'y a rien à copier.",
  'tamper.payment': 'Paiement',
  'tamper.payment.option': 'n° {n} : {amount} à {to}, frais {fee}',
  'tamper.payment.help':
    "Seuls les paiements peuvent être modifiés : la récompense du mineur n'est pas signée, donc la changer puis re-miner donnerait un bloc concurrent valide, pas une falsification.",
  'tamper.field': 'Ce qui change',
  'tamper.field.recipient': 'Destinataire',
  'tamper.value': 'Nouvelle valeur',
  'tamper.value.now': 'Dans le bloc actuellement : {value}',
  'tamper.apply': 'Modifier la copie',
  'tamper.cancel': 'Annuler',
  'tamper.error.unchanged':
    "C'est déjà la valeur inscrite dans le bloc : changez-la pour voir ce qui casse.",
  'tamper.copy.title': 'Votre copie : du bloc {first} au bloc {last}',
  'tamper.block.edited': 'Bloc {index}, modifié',
  'tamper.block.remined': 'Bloc {index}, re-miné',
  'tamper.block.honest': 'Bloc {index}, inchangé',
  'tamper.was': 'avant : {value}',
  'tamper.proof.ok': 'Cible atteinte : son empreinte est sous sa cible.',
  'tamper.proof.bad':
    "Cible manquée : la modification a changé son empreinte, qui n'est plus sous la cible.",
  'tamper.signature.bad':
    "Signature cassée : le paiement porte encore l'ancienne signature de l'expéditeur, qui ne correspond plus, et aucun minage ne peut y remédier.",
  'tamper.payment.bad': 'Paiement refusé : {why}',
  'tamper.link.anchor': "Lien intact : il désigne le bloc {index}, que personne n'a modifié.",
  'tamper.link.ok': 'Lien intact : il désigne votre copie du bloc {index}.',
  'tamper.link.bad':
    "Lien cassé : il désigne le bloc {index} d'origine, dont l'empreinte est différente dans votre copie.",
  'tamper.link.cut':
    'Lien cassé : la chaîne est déjà coupée avant lui, il ne découle donc plus du bloc modifié.',
  'tamper.remineThis': 'Re-miner ce bloc',
  'tamper.remineThis.name': 'Re-miner ce bloc (bloc {index})',
  'tamper.remineAll': 'Tout re-miner',
  'tamper.stop': 'Arrêter le minage',
  'tamper.discard': 'Jeter la copie',
  'tamper.offer': 'La proposer à un pair',
  'tamper.offer.node': 'Pair',
  'tamper.expected': 'À cette difficulté, un bloc demande en moyenne environ {hashes}.',
  'tamper.progress': "Minage du bloc {index} : {hashes} essayés jusqu'ici.",
  'tamper.remined.next':
    'Bloc {index} re-miné après {hashes} : sa cible est atteinte, mais le bloc {next} désigne encore son ancienne empreinte.',
  'tamper.remined.last': 'Bloc {index} re-miné après {hashes} : sa cible est atteinte.',
  'tamper.remineAll.done':
    'Re-miner {blocks} a demandé {hashes} ; pendant ce temps, la chaîne honnête a grandi de {growth}.',
  'tamper.stopped': 'Arrêté après {hashes}.',
  'tamper.race': "Votre copie s'arrête au bloc {copy} ; la chaîne honnête en est au bloc {honest}.",
  'tamper.offer.rejected': '{node} a refusé le bloc {index} : {why}.',
  'tamper.offer.orphan':
    "{node} a mis le bloc {index} de côté, en mémoire seulement : il lui manque le bloc sur lequel il s'appuie.",
  'tamper.offer.accepted': '{node} a accepté le bloc {index}.',
  'tamper.offer.known': '{node} avait déjà le bloc {index}.',
  'tamper.offer.unreadable': "{node} n'a pas pu lire un bloc : {error}.",
  'tamper.offer.failed': "Le nœud n'a pas répondu : {error}",
  'tamper.offer.note':
    "Un bloc refusé n'est jamais enregistré ; le refus figure aussi dans le journal des événements.",

  // Portefeuille
  'wallet.title': 'Portefeuille',
  'wallet.address': 'Adresse',
  'wallet.from': 'De',
  'wallet.from.option': '{node} (solde : {balance})',
  'wallet.to': 'À',
  'wallet.to.help': "Une adresse (40 chiffres hexadécimaux) ou l'identifiant d'un nœud, comme n2",
  'wallet.to.another': 'Une autre adresse…',
  'wallet.to.address': 'Adresse du destinataire',
  'wallet.amount': 'Montant',
  'wallet.fee': 'Frais',
  'wallet.fee.help':
    "Facultatif : les mineurs prennent d'abord les paiements aux frais les plus élevés.",
  'wallet.send': 'Envoyer',
  'wallet.sending': 'Envoi du paiement…',
  'wallet.noNodes': "Il n'y a encore aucun nœud pour payer.",
  'wallet.sent': 'Paiement envoyé : il sera ajouté au bloc {index}.',
  'wallet.error.recipientMissing': 'Choisissez qui reçoit le paiement.',
  'wallet.error.fromMissing': 'Choisissez le nœud dont le portefeuille paie.',
  'wallet.error.recipient':
    "Le destinataire doit être une adresse (40 chiffres hexadécimaux) ou l'identifiant d'un nœud, comme n2.",
  'wallet.error.unknownNode': "Il n'y a pas de nœud nommé {node}.",
  'wallet.error.amountMissing': 'Indiquez un montant.',
  'wallet.error.amountWhole': 'Le montant doit être un nombre entier de pièces.',
  'wallet.error.amountMin': "Le montant doit être d'au moins 1 pièce.",
  'wallet.error.amountTooLarge': 'Le montant est trop grand.',
  'wallet.error.feeWhole': 'Les frais doivent être un nombre entier de pièces.',
  'wallet.error.feeNegative': 'Les frais ne peuvent pas être négatifs.',
  'wallet.error.feeTooLarge': 'Les frais sont trop élevés.',
  'wallet.error.funds':
    'Pas assez de pièces : {node} en a {balance} et ce paiement en demande {needed} (montant plus frais).',
  'wallet.error.refused': 'Le nœud a refusé le paiement : {why}',
  'wallet.error.unreachable': "Le nœud n'a pas répondu : {error}",

  // Montants
  'unit.coins.one': '{count} pièce',
  'unit.coins.other': '{count} pièces',
  'unit.hashes.one': '{count} hachage',
  'unit.hashes.other': '{count} hachages',
  'unit.blocks.one': '{count} bloc',
  'unit.blocks.other': '{count} blocs',

  // Journal des événements
  'events.title': 'Journal des événements',
  'events.filter.node': 'Nœud',
  'events.filter.allNodes': 'Tous les nœuds',
  'events.filter.kind': 'Type',
  'events.filter.allKinds': 'Tous les types',
  'events.kind.mining': 'Minage',
  'events.kind.consensus': 'Consensus',
  'events.kind.rejection': 'Refus',
  'events.kind.network': 'Réseau',
  'events.kind.storage': 'Stockage',
  'events.kind.payment': 'Paiements',
  'events.time': 'Heure',
  'events.what': "Ce qui s'est passé",
  'events.empty': "Rien ne s'est encore passé.",
  'events.noMatch': 'Aucun événement ne correspond à ces filtres.',
  'events.reorg': 'Réorganisation',
  'events.showing': 'Affichage des {shown} événements les plus récents sur {total}.',
  'events.clear': 'Vider le journal',

  // Console de l'API
  'console.title': "Console de l'API",
  'console.method': 'Méthode',
  'console.route': 'Route',
  'console.body': 'Corps (JSON)',
  'console.body.invalid': "Le corps n'est pas du JSON valide : {error}",
  'console.send': 'Envoyer',
  'console.pending': 'En attente du nœud…',
  'console.status': 'Statut',
  'console.answer': 'Réponse',
  'console.history': 'Historique',
  'console.history.empty': 'Aucune requête pour le moment.',
  'console.copy': 'Copier comme ligne window.chainlab.request',
  'console.copied': 'Copié dans le presse-papiers.',
  'console.copyFailed': 'Copie impossible : sélectionnez la ligne et copiez-la à la main.',
  'console.group.sim': 'Routes de la simulation',
  'console.group.node': 'Routes des nœuds',
  'console.param.id': 'Nœud (:id)',
  'console.param.hash': 'Empreinte du bloc (:hash)',
  'console.param.address': 'Adresse (:address)',
  'console.param.txid': 'Identifiant du paiement (:txid)',
  'console.param.hex': '{count} chiffres hexadécimaux',
  'console.param.missing': "Remplissez d'abord {param}.",
  'console.noBody': 'Cette route ne prend pas de corps.',
  'console.example': "Remettre l'exemple",
  'console.answer.none': 'Envoyez une requête pour voir la réponse.',
  'console.failed': 'La requête a échoué : {error}',
  'console.about.listNodes':
    'Lister tous les nœuds avec leur hauteur, leur dernier bloc, leurs pairs et leur minage.',
  'console.about.addNode': 'Ajouter un nœud, avec un nom si vous voulez.',
  'console.about.removeNode': 'Retirer un nœud.',
  'console.about.reset': "Repartir d'une simulation neuve (toutes les chaînes sont effacées).",
  'console.about.partition': "Diviser le réseau en groupes qui ne s'entendent plus.",
  'console.about.heal': 'Reconnecter tous les nœuds.',
  'console.about.network': 'Lire la latence, la perte de messages et les partitions.',
  'console.about.setNetwork': 'Changer la latence et la perte de messages.',
  'console.about.mine': 'Miner un bloc (le mineur reçoit la récompense).',
  'console.about.newTransaction':
    'Signer et envoyer un paiement depuis le portefeuille de ce nœud.',
  'console.about.signTransaction':
    "Signer un paiement depuis le portefeuille de ce nœud sans l'envoyer (à remettre à qui l'on veut).",
  'console.about.submitTransaction':
    'Remettre à ce nœud un paiement signé (son hexadécimal brut) à vérifier, garder et relayer.',
  'console.about.transaction':
    "Ce qu'est devenu un paiement : en attente, confirmé dans un bloc, ou abandonné et pourquoi.",
  'console.about.gossip':
    'Relayer automatiquement, ou garder pour soi les nouveaux blocs et paiements (manual).',
  'console.about.publish':
    "Envoyer l'un de ses blocs directement à chaque pair, comme un mineur qui en retenait en dévoile un.",
  'console.about.chain': 'Lire la meilleure chaîne de ce nœud, du bloc de genèse au dernier.',
  'console.about.register': 'Enregistrer les pairs avec qui ce nœud communique.',
  'console.about.resolve':
    'Comparer avec les chaînes des pairs et suivre la meilleure (consensus).',
  'console.about.mining': 'Lancer ou arrêter le minage continu.',
  'console.about.wallet': "Lire l'adresse, le solde et le nonce de ce nœud.",
  'console.about.balance': "Lire le solde d'une adresse tel que ce nœud le voit.",
  'console.about.mempool':
    "Lister les paiements en attente d'un bloc, les plus gros frais d'abord.",
  'console.about.block': 'Lire un bloc à partir de son empreinte (hash).',

  // Réglages de la simulation
  'settings.title': 'Réglages de la simulation',
  'settings.nodes': 'Nombre de nœuds',
  'settings.forkChoice': 'Règle de choix de branche',
  'settings.forkChoice.mostWork': 'Le plus de travail',
  'settings.forkChoice.longest': 'La chaîne la plus longue',
  'settings.forkChoice.help':
    '« Le plus de travail » suit la branche qui a demandé le plus de calcul ; « la chaîne la plus longue », comme dans le tutoriel, compte seulement les blocs.',
  'settings.gossip': 'Diffusion',
  'settings.gossip.auto': 'Automatique',
  'settings.gossip.manual': 'Manuelle',
  'settings.gossip.help':
    "Automatique : les nœuds se transmettent d'eux-mêmes les nouveaux blocs et paiements. Manuelle : rien ne bouge tant que vous ne demandez pas à un nœud de résoudre les conflits, comme dans le tutoriel.",
  'settings.peers': 'Pairs au départ',
  'settings.peers.all': 'Chaque nœud enregistré auprès de tous les autres',
  'settings.peers.none': 'Aucun pair : enregistrez-les vous-même, comme dans le tutoriel',
  'settings.blockTime': 'Temps visé entre deux blocs',
  'settings.blockTime.value': '{seconds} s',
  'settings.blockTime.seconds': 'Temps visé entre deux blocs, en secondes',
  'settings.difficulty': 'Difficulté de départ',
  'settings.difficulty.value': '{bits} bits à zéro en tête',
  'settings.reward': 'Récompense par bloc',
  'settings.reset': 'Réinitialiser la simulation',
  'settings.reset.confirm':
    'Tout recommencer ? Chaque chaîne, portefeuille et réglage sera effacé.',

  // Choix de la langue
  'language.label': 'Langue',
  'language.en': 'English',
  'language.fr': 'Français',

  // L'arbre des blocs et son équivalent textuel
  'tree.title': 'Arbre des blocs',
  'tree.showTable': 'Afficher sous forme de tableau',
  'tree.showPicture': 'Afficher sous forme de dessin',
  'tree.help': 'Les flèches déplacent la vue, plus et moins zooment, F suit les derniers blocs.',
  'tree.follow': 'Suivre les derniers blocs',
  'tree.table.caption': "Extrémités et embranchements de l'arbre des blocs",
  'tree.table.branch': 'Branche',
  'tree.table.tip': 'Dernier bloc',
  'tree.table.height': 'Hauteur',
  'tree.table.forksAt': 'Se sépare après le bloc',
  'tree.table.nodes': 'Nœuds qui la suivent',
  'tree.table.nodes.none': 'aucun',
  'tree.table.status': 'État',
  'tree.table.status.best': 'Meilleure chaîne',
  'tree.table.status.stale': 'Branche abandonnée',
  'tree.table.noForks': 'Aucun embranchement : tous les blocs sont sur une seule chaîne.',
  'nodes.caption':
    'Tous les nœuds : hauteur, sommet, minage, part de puissance, hachages par seconde, pairs et mempool',
  'nodes.col.node': 'Nœud',
  'nodes.col.share': 'Part',
  'nodes.col.hashes': 'kH/s',
  'nodes.col.mempool': 'Mempool',
  'nodes.col.tip': 'Sommet',
  'nodes.mining.on': 'Oui',
  'nodes.mining.off': 'Non',
  'nodes.chosen': 'Nœud {node}',
  'nodes.hint': 'Choisissez un nœud par son nom pour miner avec lui, le résoudre ou le retirer.',
  'nodes.room.title': 'Les autres nœuds de la salle',
  'nodes.room.caption':
    'Les nœuds de la salle dans les autres navigateurs : élève, nœud, hauteur et dernier bloc',
  'nodes.room.readonly':
    'Chaque navigateur fait tourner ses propres nœuds : cette page ne fait que regarder ceux-ci.',
  'nodes.room.none': 'Aucun autre nœud dans la salle pour l’instant.',
  'display.projector': 'Mode projecteur',
  'display.side': 'Le réseau et ses nœuds',
  'display.side.hide': 'Masquer le panneau latéral',
  'display.side.show': 'Afficher le panneau latéral',
  'display.bottom': 'Outils et événements',
  'display.bottom.hide': 'Replier les outils',
  'display.bottom.show': 'Afficher les outils',
  'block.bits': '{bits} bits',
  'charts.title': 'Graphiques',
  'netview.title': 'Le réseau',
  'netview.showTable': 'Afficher le réseau en tableau',
  'netview.showPicture': 'Afficher le réseau en image',
  'netview.summary.nodes.one': '{count} nœud,',
  'netview.summary.nodes.other': '{count} nœuds,',
  'netview.summary.links.one': '{count} lien.',
  'netview.summary.links.other': '{count} liens.',
  'netview.summary.whole': 'Le réseau est entier.',
  'netview.summary.split.one': 'Coupé en {sides} groupes : {count} lien coupé.',
  'netview.summary.split.other': 'Coupé en {sides} groupes : {count} liens coupés.',
  'netview.node.select': 'sélectionner ce nœud',
  'netview.kind.inv': 'inv : « je l’ai »',
  'netview.kind.getdata': 'getdata : « envoie-le »',
  'netview.kind.block': 'bloc',
  'netview.kind.tx': 'paiement',
  'netview.kind.sync': 'rattrapage',
  'netview.legend.cut': 'coupé par la partition',
  'netview.still':
    'Les animations sont réduites : les messages ne sont pas dessinés en mouvement, le tableau les compte.',
  'netview.table.caption': 'Les nœuds, leurs groupes et leurs liens',
  'netview.table.node': 'Nœud',
  'netview.table.side': 'Groupe',
  'netview.table.whole': 'un seul réseau',
  'netview.table.reachable': 'Pairs joignables',
  'netview.table.cut': 'Pairs coupés',
  'netview.table.messages': 'Messages des 5 dernières secondes',
  'netview.table.kind': 'Type',
  'netview.table.recent': 'Livrés, et perdus ou coupés',
  'netview.table.count': '{delivered} livrés, {stopped} perdus ou coupés',

  // Les vues : le simulateur et le laboratoire
  'view.label': 'Vues',
  'view.simulator': 'Simulateur',
  'view.experiments': 'Expériences',

  // Le laboratoire : des expériences sur de vrais nœuds, répétées de nombreuses fois
  'lab.title': 'Expériences',
  'lab.intro':
    "Chaque expérience fait tourner de vrais nœuds de nombreuses fois, dans un worker à part, et met ce qu'ils ont fait en regard de la théorie.",
  'lab.loading': 'Chargement des expériences…',
  'lab.experiment': 'Expérience',
  'lab.parameters': 'Paramètres',
  'lab.hint.list':
    '{range} ; une valeur ou une liste séparée par des virgules, par exemple {example}.',
  'lab.hint.choice': 'Au choix : {choices}.',
  'lab.hint.text': 'De la forme {forms} ; vérifié au lancement.',
  'lab.runs': 'Exécutions par point',
  'lab.hint.runs': 'Chaque point est mesuré autant de fois : {range}.',
  'lab.seed': 'Graine',
  'lab.hint.seed': '{range} ; la même graine donne le même résultat.',
  'lab.run': 'Lancer',
  'lab.cancel': 'Annuler',
  'live.pool.title': 'Minage égoïste, en direct',
  'live.pool.params': 'part du pool {alpha}, {blocks} blocs',
  'live.pool.play': 'Jouer en direct (réinitialise le réseau à n1, n2 et n3)',
  'live.pool.playHint':
    'n1 est le pool, n2 et n3 les mineurs honnêtes ; la part du pool est le premier alpha du formulaire, et la partie dure 40 blocs sur les nœuds du simulateur.',
  'live.pool.reset':
    'Le réseau repart avec trois nœuds : n1, le pool, garde pour lui les blocs qu’il mine ; n2 et n3 minent honnêtement.',
  'live.pool.mining':
    'Tous minent : le pool avec {alpha} de la puissance, n2 et n3 avec {honest} chacun.',
  'live.pool.withheld': 'Le pool a trouvé un bloc et le garde secret : il a {lead} d’avance.',
  'live.pool.adopted':
    'Un bloc honnête est arrivé alors que le pool n’avait aucune avance : le pool mine sur la chaîne publique.',
  'live.pool.tie':
    'Un bloc honnête est arrivé : le pool dévoile son unique bloc secret, et les deux font la course. Chaque nœud honnête mine sur celui qu’il a vu en premier.',
  'live.pool.revealedAll':
    'Le pool dévoile {count} blocs secrets : sa branche est plus longue, et les blocs honnêtes de l’autre branche deviennent orphelins.',
  'live.pool.revealedOne':
    'Un bloc honnête est arrivé : le pool dévoile un bloc de plus pour rester à égalité, toujours {lead} d’avance en secret.',
  'live.pool.share':
    'Terminé : le pool a {pool} des {total} blocs de la chaîne finale ({share}), pour une part équitable de {alpha}.',
  'live.title': 'Course de double dépense en direct',
  'live.params': "part de l'attaquant {q}, {z} confirmations, {win}",
  'live.play': 'Jouer une course en direct (réinitialise le réseau à n1 et n2)',
  'live.playHint':
    "n1 est le marchand et le réseau honnête, n2 l'attaquant ; la course se joue sur les nœuds du simulateur, avec q, z et la règle de victoire pris dans les premières valeurs ci-dessus.",
  'live.stop': 'Arrêter la course',
  'live.close': 'Fermer',
  'live.stopped': 'Arrêtée. Les nœuds gardent ce qu’ils ont.',
  'live.failed': 'La course n’a pas pu continuer : {message}',
  'live.reset': 'Le réseau repart avec deux nœuds : n1, le marchand, et n2, l’attaquant.',
  'live.funded': 'n2 a miné le bloc {height} et possède une pièce ; n1 l’a vu.',
  'live.paid': 'n2 signe un paiement de sa pièce à n1 ({txid}…) et ne le remet qu’à n1.',
  'live.hidden':
    'n2 se coupe du réseau et se repaie la même pièce : ce paiement va dans sa branche privée.',
  'live.mining':
    'Tous deux minent : l’attaquant avec {q} de la puissance, le réseau honnête avec {p}.',
  'live.confirmations': 'Le paiement du marchand a {count} confirmations sur {needed}.',
  'live.released': 'Avec {count} confirmations, le marchand livre la marchandise.',
  'live.race': 'Branche privée de l’attaquant : {attacker} blocs ; chaîne honnête : {honest}.',
  'live.caughtUp':
    'L’attaquant a rattrapé son retard ({attacker} blocs contre {honest}) et publie sa branche.',
  'live.gaveUp':
    'L’attaquant abandonne : {behind} blocs de retard, sa chance de rattraper un jour est de {chance}.',
  'live.reversed':
    'Le nœud du marchand est passé sur la branche de l’attaquant : le paiement au marchand a disparu. Double dépense !',
  'live.kept':
    'Le nœud du marchand a gardé sa chaîne (à égalité, le premier vu reste, ou un bloc honnête est arrivé avant) : le paiement tient.',
  'lab.progress': 'Avancement',
  'lab.progress.value': '{done} exécutions sur {total}',
  'lab.status.invalid': "Rien n'a été lancé : corrigez d'abord les champs marqués ⚠.",
  'lab.status.running': '{experiment} en cours…',
  'lab.status.cancelling': 'Annulation…',
  'lab.status.cancelled': "Annulé : rien n'a été gardé.",
  'lab.status.done.one': 'Terminé : {count} point mesuré.',
  'lab.status.done.other': 'Terminé : {count} points mesurés.',
  'lab.status.failed': "L'expérience s'est arrêtée : {why}",
  'lab.result': 'Résultat',
  'lab.empty': "Lancez l'expérience : ses points apparaîtront ici à mesure qu'ils sont mesurés.",
  'lab.chart.caption':
    '{y} en fonction de {x} : les points sont mesurés, avec leurs intervalles à 95 % ; les lignes sont la théorie. {runs} exécutions par point, graine {seed}.',
  'lab.chart.measured': 'Mesure, avec son intervalle à 95 %',
  'lab.chart.rule': '{name} : {param} = {value}',
  'lab.chart.axis': '{name} : {label}',
  'lab.interval': '[{low} ; {high}]',
  'lab.y.double-spend': "Part des courses gagnées par l'attaquant",
  'lab.y.selfish-mining': 'Part des blocs de la chaîne revenant au pool',
  'lab.y.stale-rate': 'Part des blocs minés devenus orphelins',
  'lab.y.retarget': 'Intervalle moyen entre blocs, en secondes',
  'lab.y.default': 'Valeur mesurée',
  'lab.theory.exact': 'Probabilité exacte (Rosenfeld)',
  'lab.theory.nakamoto': 'Approximation de Nakamoto (Poisson)',
  'lab.theory.eyal_sirer': 'Revenu égoïste (Eyal et Sirer)',
  'lab.theory.fair_share': 'Part équitable (alpha)',
  'lab.theory.threshold': 'Seuil où le minage égoïste rapporte',
  'lab.theory.model': 'Modèle : 1 − exp(−d/T)',
  'lab.theory.expected': 'Règle d’ajustement sur les temps attendus',
  'lab.theory.mean': 'Moyenne exacte de la règle',
  'lab.poissonVsExact':
    "La formule de Nakamoto tire la progression de l'attaquant d'une loi de Poisson de la bonne moyenne, ce qui revient à supposer que le réseau honnête a mis exactement le temps attendu pour trouver ses z blocs ; or ce temps est lui-même aléatoire, si bien que le vrai nombre de blocs de l'attaquant suit une loi binomiale négative, plus dispersée, et les deux probabilités s'écartent.",
  'lab.table.caption': 'Les points mesurés, en chiffres',
  'lab.table.measured': 'Mesure',
  'lab.table.ci95': 'Intervalle à 95 %',
  'lab.export': 'Télécharger le résultat',
  'lab.export.csv': 'Télécharger en CSV',
  'lab.export.json': 'Télécharger en JSON',
  'lab.export.svg': 'Télécharger le graphique (SVG)',
  'lab.export.png': 'Télécharger le graphique (PNG)',

  // Graphiques du réseau (src/app/charts/network-charts.ts, NetworkCharts.svelte)
  'charts.showTables': 'Afficher en tableaux',
  'charts.showCharts': 'Afficher en graphiques',
  'charts.nodes': 'Nœuds',
  'charts.nodes.select': 'Nœuds (choisissez-en un pour le faire ressortir dans chaque graphique)',
  'charts.table.caption': '{title}, en chiffres',
  'charts.noNodes': "Il n'y a aucun nœud à montrer.",
  'charts.col.node': 'Nœud',
  'charts.interval.title': 'Intervalle entre blocs et difficulté',
  'charts.interval.caption':
    "Sur la meilleure chaîne (le plus de travail) jusqu'au bloc {height} : secondes depuis le bloc parent, et difficulté en bits.",
  'charts.interval.caption.bucketed':
    "Sur la meilleure chaîne (le plus de travail) jusqu'au bloc {height}, moyennes de {size} blocs : secondes depuis le bloc parent, et difficulté en bits.",
  'charts.interval.caption.none':
    'Sur la meilleure chaîne (le plus de travail) : secondes depuis le bloc parent, et difficulté en bits.',
  'charts.interval.empty':
    "Aucun bloc n'a encore été miné : ce graphique se remplit à mesure que la meilleure chaîne grandit.",
  'charts.interval.firstOnly':
    "Le premier bloc miné n'a pas d'intervalle : son parent, le bloc de genèse, porte une date fixe.",
  'charts.interval.axis.height': 'Hauteur du bloc',
  'charts.interval.axis.interval': 'Secondes depuis le bloc parent',
  'charts.interval.axis.meanInterval': 'Moyenne des secondes depuis le bloc parent',
  'charts.interval.axis.difficulty': 'Difficulté (bits à zéro en tête)',
  'charts.interval.axis.meanDifficulty': 'Difficulté moyenne (bits à zéro en tête)',
  'charts.interval.col.height': 'Hauteur',
  'charts.interval.col.heights': 'Hauteurs',
  'charts.interval.col.interval': 'Secondes depuis le parent',
  'charts.interval.col.meanInterval': 'Moyenne des secondes depuis le parent',
  'charts.interval.col.difficulty': 'Difficulté',
  'charts.interval.col.meanDifficulty': 'Difficulté moyenne',
  'charts.shares.title': 'Puissance de calcul et blocs minés',
  'charts.shares.caption.one':
    'Part de chaque nœud dans la puissance de calcul actuelle, à côté de sa part des blocs de la meilleure chaîne ({count} miné).',
  'charts.shares.caption.other':
    'Part de chaque nœud dans la puissance de calcul actuelle, à côté de sa part des blocs de la meilleure chaîne ({count} minés).',
  'charts.shares.hash': 'Puissance de calcul actuelle',
  'charts.shares.blocks': 'Blocs minés',
  'charts.shares.others': 'autres',
  'charts.shares.axis': 'Part du réseau',
  'charts.shares.empty': "Aucun nœud ne calcule et aucun bloc n'a encore été miné.",
  'charts.shares.noHashing':
    'Aucun nœud ne calcule en ce moment : seules les parts des blocs sont tracées.',
  'charts.shares.noBlocks':
    "Aucun bloc n'a encore été miné : seules les parts de la puissance de calcul sont tracées.",
  'charts.shares.col.hashesPerSecond': 'Hachages par seconde',
  'charts.shares.col.hashShare': 'Part de la puissance de calcul',
  'charts.shares.col.blocks': 'Blocs sur la meilleure chaîne',
  'charts.shares.col.blockShare': 'Part des blocs',
  'charts.stale.title': 'Blocs orphelins par nœud',
  'charts.stale.caption':
    'Blocs que chaque nœud garde hors de sa propre meilleure chaîne (orphelins), selon son propre compte.',
  'charts.stale.axis': 'Blocs orphelins (nombre)',
  'charts.stale.col': 'Blocs orphelins',
  'charts.stale.none': 'Aucun nœud ne garde encore de bloc orphelin.',
  'charts.mempool.title': 'Paiements en attente au fil du temps',
  'charts.mempool.caption':
    'Paiements en attente chez chaque nœud, sur {span} ; temps en secondes avant le dernier relevé.',
  'charts.mempool.caption.thinned':
    'Paiements en attente chez chaque nœud, sur {span}, un relevé sur {stride} ; temps en secondes avant le dernier relevé.',
  'charts.mempool.caption.none':
    'Paiements en attente chez chaque nœud ; temps en secondes avant le dernier relevé.',
  'charts.mempool.empty': "Aucun relevé des paiements en attente pour l'instant.",
  'charts.mempool.axis.time': 'Secondes avant le dernier relevé',
  'charts.mempool.axis.size': 'Paiements en attente (nombre)',

  // Pourquoi un bloc ou un paiement a été refusé
  'reject.malformed': 'Il est illisible, car ses données sont abîmées ou dans un mauvais format.',
  'reject.oversize': 'Il dépasse la taille permise pour un bloc.',
  'reject.bad-version': 'Il utilise un format de bloc que ce réseau ne connaît pas.',
  'reject.bad-pow':
    "Sa preuve de travail est fausse (son empreinte n'est pas assez petite pour la difficulté).",
  'reject.bad-target': 'Il utilise une difficulté qui ne convient pas à sa place dans la chaîne.',
  'reject.orphan-too-easy':
    "Son parent est inconnu ici et il est bien plus facile que cette chaîne : sa branche est récupérée depuis l'embranchement.",
  'reject.bad-merkle-root':
    "Son empreinte de ses paiements (la racine de Merkle) ne correspond pas aux paiements qu'il contient.",
  'reject.bad-previous-hash':
    'Il ne se rattache à aucun bloc de cette chaîne (mauvaise empreinte du bloc précédent).',
  'reject.bad-index': 'Son numéro de bloc ne suit pas celui du bloc précédent.',
  'reject.time-too-old': 'Son horodatage est trop ancien par rapport aux blocs précédents.',
  'reject.time-too-new': 'Son horodatage est trop loin dans le futur.',
  'reject.bad-coinbase':
    'Son premier paiement, la récompense du mineur, est absent, mal placé ou faux.',
  'reject.bad-reward':
    "La récompense du mineur n'est pas exactement la récompense du bloc plus les frais.",
  'reject.wrong-chain': 'Un paiement a été signé pour un autre réseau.',
  'reject.bad-amount': 'Le montant doit être un nombre entier de pièces, au moins 1.',
  'reject.bad-fee': 'Les frais doivent être un nombre entier de pièces, 0 ou plus.',
  'reject.bad-signature':
    "La signature ne correspond pas à l'expéditeur, donc le paiement a été falsifié ou modifié.",
  'reject.bad-nonce':
    "Le compteur du paiement (nonce) n'est pas le suivant pour cet expéditeur : c'est peut-être un paiement rejoué, ou il arrive dans le désordre.",
  'reject.insufficient-funds':
    "L'expéditeur n'a pas assez de pièces pour le montant plus les frais.",
  'reject.double-spend':
    'Deux paiements du même expéditeur utilisent le même compteur (nonce), donc un seul des deux peut compter.',
  'reject.duplicate': 'Ce paiement a déjà été reçu, et il ne doit pas compter deux fois.',
  'reject.invalid-parent': "Il s'appuie sur un bloc qui a été refusé.",
  'reject.mempool-full': 'Trop de paiements sont en attente ; réessayez après le prochain bloc.',
  'reject.unknown': 'Il enfreint une règle du réseau.',

  // Récit de ce qu'ont fait les nœuds (voir narrate.ts)
  'narrate.mined': '{node} a miné le bloc {height}',
  'narrate.accepted': '{node} a accepté le bloc {height} de {from}',
  'narrate.caughtUp.one':
    '{node} a rattrapé {from} : {count} bloc adopté, maintenant au bloc {height}',
  'narrate.caughtUp.other':
    '{node} a rattrapé {from} : {count} blocs adoptés, maintenant au bloc {height}',
  'narrate.advanced.one': '{node} a ajouté {count} bloc à sa chaîne, maintenant au bloc {height}',
  'narrate.advanced.other':
    '{node} a ajouté {count} blocs à sa chaîne, maintenant au bloc {height}',
  'narrate.switched': '{node} est passé sur la branche de {from} : {dropped}, {adopted}',
  'narrate.switched.local': '{node} est passé sur une autre branche : {dropped}, {adopted}',
  'narrate.dropped.one': '{count} bloc abandonné',
  'narrate.dropped.other': '{count} blocs abandonnés',
  'narrate.adopted.mostWork.one': '{count} adopté avec plus de travail',
  'narrate.adopted.mostWork.other': '{count} adoptés avec plus de travail',
  'narrate.adopted.longest.one': '{count} adopté sur une chaîne plus longue',
  'narrate.adopted.longest.other': '{count} adoptés sur une chaîne plus longue',
  'narrate.blockRejected': '{node} a refusé un bloc de {from} : {why}',
  'narrate.blockRejected.local': '{node} a refusé un bloc : {why}',
  'narrate.txRejected': '{node} a refusé un paiement de {from} : {why}',
  'narrate.txRejected.local': '{node} a refusé un nouveau paiement : {why}',
  'narrate.txAccepted': '{node} a accepté un paiement de {from}',
  'narrate.txAccepted.local': '{node} a signé un nouveau paiement',
  'narrate.messageDropped': '{node} a écarté un message mal formé de {from}',
  'narrate.messageDropped.notPeer':
    '{node} a ignoré un message de {from}, qui ne fait pas partie de ses pairs enregistrés',
  'narrate.messageDropped.unasked':
    "{node} a ignoré une réponse de {from} qu'il n'avait pas demandée",
  'narrate.storageSkipped': '{node} a laissé de côté des données enregistrées inutilisables',
  'narrate.txDropped':
    '{node} a abandonné un paiement de {amount} de {from} à {to} (nonce {nonce}) : {why}',
  'narrate.tieSeen':
    "{node} voit une branche de {from} avec {same} que la sienne, au bloc {height} : il garde celle qu'il a vue en premier jusqu'à ce que le prochain bloc les départage",
  'narrate.tieSeen.local':
    "{node} voit une autre branche avec {same} que la sienne, au bloc {height} : il garde celle qu'il a vue en premier jusqu'à ce que le prochain bloc les départage",
  'narrate.same.mostWork': 'le même travail',
  'narrate.same.longest': 'la même longueur',

  // Pourquoi un paiement en attente a été abandonné (DropReason dans src/core/mempool.ts)
  'drop.nonce-used':
    'Un autre paiement du même expéditeur avec ce nonce est sur la meilleure chaîne, donc celui-ci ne pourra jamais compter.',
  'drop.nonce-conflict':
    'Un autre paiement en attente du même expéditeur utilise le même nonce, et un seul des deux peut compter.',
  'drop.insufficient-funds':
    "L'expéditeur n'a plus les pièces pour le payer, peut-être parce qu'elles venaient de blocs sortis de la meilleure chaîne.",
  'drop.mempool-full': 'Trop de paiements attendaient pour garder celui-ci.',
  'drop.unknown': 'Il ne peut plus devenir valide.',

  // La chronologie : la simulation rejouée à tout instant, exportée et importée (src/app/timeline)
  'timeline.title': 'Chronologie',
  'timeline.scrubber': 'Instant de la simulation',
  'timeline.scrubber.value': '{time}, bloc {height}',
  'timeline.play': 'Lire',
  'timeline.pause': 'Mettre en pause',
  'timeline.stepBack': 'Pas en arrière',
  'timeline.stepForward': 'Pas en avant',
  'timeline.speed': 'Vitesse',
  'timeline.live': 'En direct',
  'timeline.export': 'Exporter la simulation',
  'timeline.import': 'Importer une simulation',
  'timeline.status.live': 'En direct : cette simulation est enregistrée depuis {time}',
  'timeline.status.replaying': 'Relecture de cette simulation à {speed}× — {time} sur {total}',
  'timeline.status.paused': 'En pause dans cette simulation — {time} sur {total}',
  'timeline.status.earlierReplaying':
    "Relecture de la simulation d'avant la dernière réinitialisation à {speed}× — {time} sur {total}",
  'timeline.status.earlierPaused':
    "En pause dans la simulation d'avant la dernière réinitialisation — {time} sur {total}",
  'timeline.status.fileReplaying': 'Relecture de {name} à {speed}× — {time} sur {total}',
  'timeline.status.filePaused': 'En pause dans {name} — {time} sur {total}',
  'timeline.full':
    "L'enregistrement est plein : la suite de cette simulation s'affiche en direct mais n'est pas enregistrée.",
  'timeline.error.unreadable': "Ce fichier n'a pas pu être lu, rien n'a donc été ouvert.",
  'timeline.error.too-large':
    "Ce fichier pèse {size} Mo, plus que les {limit} Mo permis pour une simulation, il n'a donc pas été ouvert.",
  'timeline.error.not-json':
    "Ce fichier n'est pas du JSON, ce ne peut donc pas être une simulation exportée de Chainlab.",
  'timeline.error.foreign':
    "Ce fichier JSON n'est pas une simulation Chainlab : choisissez un fichier créé avec le bouton Exporter la simulation.",
  'timeline.error.lab-export':
    "Ce fichier contient les résultats de l'expérience {experiment} du laboratoire, pas une simulation enregistrée : choisissez un fichier créé avec le bouton Exporter la simulation.",
  'timeline.error.newer-version':
    'Cette simulation a été enregistrée par un Chainlab plus récent (fichier en version {version}, et cette page lit au plus la version {supported}), ouvrez-la donc avec celui-ci.',
  'timeline.error.too-deep':
    "Ce fichier imbrique listes et objets plus profondément qu'aucune simulation, il n'a donc pas été lu.",
  'timeline.error.bad-header':
    'Le fichier se dit une simulation Chainlab, mais son champ {field} manque ou est faux, il ne peut donc pas être rejoué.',
  'timeline.error.too-many-entries':
    "Ce fichier contient {count} entrées, plus que les {limit} permises pour une simulation, il n'a donc pas été ouvert.",
  'timeline.error.too-many-traces':
    "Ce fichier contient {count} messages, plus que les {limit} permis pour une simulation, il n'a donc pas été ouvert.",
  'timeline.error.bad-entry':
    "L'entrée {index} de la simulation est abîmée : {field} manque ou est faux.",
  'timeline.error.bad-trace':
    'Le message {index} de la simulation est abîmé : {field} manque ou est faux.',
  'timeline.error.time-backwards':
    "L'entrée {index} de la simulation est datée d'avant la précédente, alors que le temps d'une simulation ne fait qu'avancer.",
  'timeline.error.after-end':
    "L'entrée {index} de la simulation est datée d'après la fin de la simulation.",
  'timeline.error.trace-order':
    "Le message {index} de la simulation est daté d'avant le précédent, alors que les messages sont rangés dans l'ordre où ils ont été entendus.",
  'timeline.error.unknown-parent':
    "L'entrée {index} de la simulation ajoute un bloc dont le parent {parent} n'apparaît nulle part avant, l'arbre ne peut donc pas être dessiné.",
  'timeline.error.duplicate-block':
    "L'entrée {index} de la simulation ajoute le bloc {hash} une seconde fois.",
};

/** Every catalogue, by locale. */
export const CATALOGS: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, fr };

/** Values for a message's {placeholders}. */
export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * French spacing: a no-break space before ":", ";", "!", "?", "%" and "»" and after "«", so
 * the punctuation never starts a line. Applied to templates only, never to the values put in.
 */
function frenchSpacing(template: string): string {
  return template.replace(/ ([:;!?%»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
}

/** Starts with a vowel sound, as far as spelling can tell (names like "Alice", "Émile"). */
const FRENCH_VOWEL_START = /^[aeiouàâäéèêëîïôöùûüœæ]/i;

/** French elision before a value: "un bloc de {from}" with from "Alice" reads "d'Alice". */
function frenchElision(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(
    /(^|[\s(])([dD])e \{(\w+)\}/g,
    (whole, before: string, d: string, name: string) => {
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      return typeof value === 'string' && FRENCH_VOWEL_START.test(value)
        ? `${before}${d}'{${name}}`
        : whole;
    },
  );
}

/**
 * Fill a template's {placeholders}. A placeholder without a value stays visible as `{name}`, so
 * a forgotten parameter shows on screen instead of throwing or vanishing.
 */
export function formatMessage(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return value === undefined ? whole : String(value);
  });
}

/** A message in a locale, with its placeholders filled. An unknown key comes back as itself. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = (CATALOGS[locale] as Partial<Record<string, string>>)[key];
  if (template === undefined) return key;
  if (locale === 'en') return formatMessage(template, params);
  return formatMessage(frenchElision(frenchSpacing(template), params), params);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** `one` or `other` for a count, by the locale's rules (French 0 and 1 are singular). */
export function pluralCategory(locale: Locale, count: number): 'one' | 'other' {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/** The singular or plural form of a message; `{count}` is filled with the count. */
export function translatePlural(
  locale: Locale,
  base: PluralBase,
  count: number,
  params?: MessageParams,
): string {
  const key: MessageKey = `${base}.${pluralCategory(locale, count)}`;
  return translate(locale, key, { count, ...params });
}

/** A count as people read it in a locale: digits grouped by thousands (4,096 or 4 096). */
export function formatCount(locale: Locale, count: number): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB').format(count);
}

/** A moment as the locale writes it, date and time ("2 Dec 2026, 18:40"). */
export function formatMoment(locale: Locale, ms: number): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

/** The sentence saying why a payment was dropped; an unknown reason gets a general sentence. */
export function dropSentence(locale: Locale, reason: string): string {
  return translate(locale, isDropReason(reason) ? `drop.${reason}` : 'drop.unknown');
}

/** The sentence saying why something was refused; an unknown reason gets a general sentence. */
export function rejectSentence(locale: Locale, reason: string): string {
  return translate(locale, isRejectReason(reason) ? `reject.${reason}` : 'reject.unknown');
}

/**
 * The lab's own words in French. Their English is written once, in src/lab (each experiment's
 * summary, its parameters' labels and reasons, the parameter parser's sentences), and the page
 * shows it as it is in English (CONTRIBUTING.md, One place for each fact). Keys are
 * `<experiment>.summary`, `<experiment>.<param>.label`, `<experiment>.<param>.why`,
 * `<experiment>.<param>.<choice>`, `runs.label` and `seed.label`; the tests check that every
 * text an experiment carries has its French here.
 */
export const LAB_FRENCH: Readonly<Record<string, string>> = {
  'double-spend.summary':
    'À quelle fréquence un attaquant détenant une part q de la puissance de calcul annule un paiement que le marchand a accepté après z confirmations.',
  'double-spend.q.label': "part de la puissance de calcul de l'attaquant",
  'double-spend.q.why': "à 0.5 ou plus, l'attaquant gagne toujours",
  'double-spend.z.label': 'confirmations attendues par le marchand',
  'double-spend.win.label': 'ce qui fait gagner la course',
  'double-spend.win.catch-up': 'catch-up (rattraper la branche honnête)',
  'double-spend.win.overtake': "overtake (la dépasser d'un bloc)",
  'selfish-mining.summary':
    "Un pool détenant une part alpha de la puissance de calcul retient ses blocs selon la stratégie d'Eyal et Sirer : sa part des blocs de la chaîne, comparée à sa part équitable.",
  'selfish-mining.alpha.label': 'part de la puissance de calcul du pool',
  'selfish-mining.alpha.why':
    'avec la moitié de la puissance ou plus, un pool prend toute la chaîne',
  'selfish-mining.gamma.label':
    "part des mineurs honnêtes qui minent sur le bloc du pool en cas d'égalité",
  'selfish-mining.blocks.label': 'blocs dont la meilleure chaîne grandit à chaque exécution',
  'stale-rate.summary':
    'Blocs orphelins selon la latence : la part des blocs minés restés hors de la meilleure chaîne quand la latence grandit face à l’intervalle T entre blocs, à côté du modèle 1 − exp(−d/T) avec d = 3 × latence × sauts × (N−1)/N (inv, getdata et block sur chaque lien du plus court chemin moyen, en course contre les N−1 autres des N mineurs égaux).',
  'stale-rate.interval.label': 'intervalle visé entre blocs, en secondes',
  'stale-rate.latency.label': 'latence moyenne dans un sens, en millisecondes',
  'stale-rate.distribution.label':
    'forme de chaque délai autour de la latence moyenne (uniform : de 0 au double)',
  'stale-rate.distribution.spread': 'spread (autour de la moyenne)',
  'stale-rate.distribution.fixed': 'fixed (toujours la moyenne)',
  'stale-rate.distribution.uniform': 'uniform (de 0 au double)',
  'stale-rate.distribution.exponential': 'exponential (exponentielle)',
  'stale-rate.topology.label': 'qui est relié à qui',
  'stale-rate.topology.forms':
    'full, regular:K (K pairs au hasard chacun) ou small-world:K:P (Watts-Strogatz)',
  'stale-rate.nodes.label': 'mineurs, à parts égales',
  'stale-rate.blocks.label': 'blocs minés sur la meilleure chaîne à chaque exécution',
  'retarget.summary':
    'La difficulté après un choc de puissance : une part des mineurs s’en va au bloc « at », et l’intervalle moyen par hauteur montre l’ajustement de la difficulté revenir, à côté de la règle appliquée aux temps attendus (expected) et de sa moyenne sur des fenêtres aléatoires (mean, 12,5 % plus lente après tout ajustement).',
  'retarget.nodes.label': 'mineurs, à parts égales',
  'retarget.leave.label': 'part des mineurs qui s’arrêtent',
  'retarget.leave.why': 'il faut que certains partent et que d’autres restent',
  'retarget.at.label': 'hauteur du dernier bloc sur lequel tous les mineurs travaillent',
  'retarget.blocks.label': 'hauteur à atteindre',
  'retarget.interval.label': 'intervalle visé entre blocs, en secondes',
  'retarget.height.label': 'hauteur du bloc',
  'stale-rate.latency_over_interval.label': 'latence dans un sens / intervalle entre blocs',
  'runs.label': 'exécutions par point',
  'seed.label': 'graine',
};

/**
 * French for the parameter parser's problems (`ParamProblem`, src/lab/params.ts) and for a
 * range in words, filled with the same facts the English sentence names.
 */
export const LAB_PROBLEMS_FRENCH: Readonly<
  Record<
    | ParamProblem['kind']
    | `range.${'whole' | 'low' | 'lowOpen' | 'high' | 'highOpen' | 'both' | 'integer' | 'choices'}`,
    string
  >
> = {
  'not-a-choice': '{name} doit être {accepted}, reçu « {got} ».',
  'too-many': '{name} accepte au plus {max} valeurs, reçu {count}.',
  'not-a-number':
    '{name} attend un nombre ou une liste de nombres séparés par des virgules, reçu « {got} ».',
  'out-of-range': '{name} doit être {accepted}, reçu {got}.',
  'one-value': "{name} n'accepte qu'une valeur, reçu « {got} ».",
  'bad-text': '{name} doit être de la forme {accepted}, reçu « {got} ».',
  'range.whole': 'un nombre entier de {min} à {max}',
  'range.low': 'au moins {min}',
  'range.lowOpen': 'supérieur à {min}',
  'range.high': 'au plus {max}',
  'range.highOpen': 'inférieur à {max}',
  'range.both': '{low} et {high}',
  'range.integer': 'un nombre entier {range}',
  'range.choices': "l'une des valeurs {choices}",
};

/**
 * One of the lab's texts in a locale: the English given (src/lab's own), or its French from
 * {@link LAB_FRENCH} (the English when a new experiment has none yet), placeholders filled.
 */
export function labText(
  locale: Locale,
  key: string,
  english: string,
  params?: MessageParams,
): string {
  const french = locale === 'fr' ? LAB_FRENCH[key] : undefined;
  if (french === undefined) return formatMessage(english, params);
  return formatMessage(frenchSpacing(french), params);
}

/** A French template from {@link LAB_PROBLEMS_FRENCH}, with French spacing and its values. */
export function labProblemFrench(
  key: keyof typeof LAB_PROBLEMS_FRENCH,
  params: MessageParams,
): string {
  return formatMessage(frenchSpacing(LAB_PROBLEMS_FRENCH[key]), params);
}

/** Is this string a message key (for keys built from data, such as a theory's name)? */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
