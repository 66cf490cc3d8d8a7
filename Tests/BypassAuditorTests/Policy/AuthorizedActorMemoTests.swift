import Foundation
import Synchronization
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
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for actor in actors where memo.isAuthorized(actor) != Allowlist.isAuthorized(actor, among: keys) {
                wrong.withLock { $0 += 1 }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
    }
}
