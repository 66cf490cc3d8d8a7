import Testing

@testable import Inventory

/// Where the inventory's accounts are cut into the two runs put together on two threads.
@Suite("Inventory assembly split")
struct InventoryAssemblySplitTests {
    @Test("the second run starts where the records before it come nearest to half of all", arguments: [
        ([4, 4, 4, 4], 2), ([10, 1, 1, 1], 1), ([1, 1, 1, 10], 3), ([3, 1, 1, 1, 3], 3), ([0, 0, 0], 3), ([], 0),
        ([5], 1),
    ])
    func balancedSplit(counts: [Int], split: Int) {
        #expect(InventoryAssembly.balancedSplit(counts) == split)
    }
}
