import Testing

@testable import Inventory

@Suite("Disjoint sets (the identity resolver's union-find)")
struct DisjointSetsTests {
    @Test("items joined directly or through others share one representative; the rest keep their own")
    func unionAndFind() {
        var sets = DisjointSets<String>()
        for name in ["a", "b", "c", "d", "e"] { sets.add(name) }
        sets.add("a")  // adding again changes nothing
        sets.union("a", "b")
        sets.union("c", "d")
        sets.union("d", "b")  // joins {a, b} and {c, d} through their members
        #expect(Set(["a", "b", "c", "d"].map { sets.find($0) }).count == 1)
        #expect(sets.find("e") == "e")
        #expect(sets.find("never-added") == "never-added")
        let groups = sets.groups()
        #expect(groups.count == 2)
        #expect(Set(groups.values.map { Set($0) }) == [["a", "b", "c", "d"], ["e"]])
        // Each group is keyed by the representative `find` gives its members.
        for (root, members) in groups { #expect(members.allSatisfy { sets.find($0) == root }) }
    }

    @Test("a long chain of unions still resolves every item to one set")
    func longChain() {
        var sets = DisjointSets<Int>()
        for item in 0..<1_000 { sets.add(item) }
        for item in 1..<1_000 { sets.union(item, item - 1) }
        let root = sets.find(0)
        #expect((0..<1_000).allSatisfy { sets.find($0) == root })
        #expect(sets.groups() == [root: Array(0..<1_000)])
    }
}
