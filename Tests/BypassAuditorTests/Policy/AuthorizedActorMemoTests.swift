import Foundation
import Testing

@testable import Core
@testable import Policy

@Suite("Policy: authorized-admin answers remembered per actor")
struct AuthorizedActorMemoTests {
    @Test("answers as Allowlist.isAuthorized does, asked once or again", arguments: [
        "admin@contoso.com", " ADMIN@contoso.com ", "other@contoso.com", "admin@contoso.com\u{0}", "", "\u{7}x",
    ])
    func answersAsTheRuleDoes(actor: String) {
        let keys = AccountKey.keys(of: ["admin@contoso.com"])
        let memo = AuthorizedActorMemo(keys: keys)
        let expected = Allowlist.isAuthorized(actor, among: keys)
        #expect(memo.isAuthorized(actor) == expected)
        #expect(memo.isAuthorized(actor) == expected, "the remembered answer")
    }

    @Test func noActorIsNeverAuthorized() {
        let memo = AuthorizedActorMemo(keys: AccountKey.keys(of: ["admin@contoso.com"]))
        #expect(!memo.isAuthorized(nil))
        #expect(memo.isAuthorized(" Admin@Contoso.com"))
    }

    @Test("threads sharing one memo get the rule's answers")
    func sharedAcrossThreads() {
        let keys = AccountKey.keys(of: ["admin@contoso.com"])
        let memo = AuthorizedActorMemo(keys: keys)
        let actors = (0..<200).map { $0 % 3 == 0 ? "Admin@contoso.com" : "user\($0 % 17)@contoso.com" }
        let wrongAnswers = (0..<8).map { _ in Counter() }
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for actor in actors where memo.isAuthorized(actor) != Allowlist.isAuthorized(actor, among: keys) {
                wrongAnswers[thread].add()
            }
        }
        #expect(wrongAnswers.map(\.value).reduce(0, +) == 0)
    }
}

/// Wrong answers seen by one thread (each thread counts in its own).
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func add() { lock.withLock { count += 1 } }
}
