import Foundation

/// The fail and warn reasons gathered for one control.
struct ControlVerdict {
    let id: ControlID
    private var failures: [String] = []
    private var warnings: [String] = []
    private var failingIDs: [String] = []
    private var warningIDs: [String] = []

    init(_ id: ControlID) { self.id = id }

    /// Fails on `findingIDs` when there are any, saying "<what>: N."
    mutating func fail(_ findingIDs: [String], _ what: String) {
        guard !findingIDs.isEmpty else { return }
        failures.append("\(what): \(findingIDs.count).")
        failingIDs += findingIDs
    }

    mutating func fail(reason: String) { failures.append(reason) }

    mutating func warn(_ findingIDs: [String], _ what: String) {
        guard !findingIDs.isEmpty else { return }
        warnings.append("\(what): \(findingIDs.count).")
        warningIDs += findingIDs
    }

    mutating func warn(reason: String) { warnings.append(reason) }

    func control(passing: String) -> Control {
        let status: ControlStatus = !failures.isEmpty ? .fail : !warnings.isEmpty ? .warn : .pass
        var reason: String
        switch status {
        case .fail:
            reason = failures.joined(separator: " ")
            if !warnings.isEmpty { reason += " Also: " + warnings.joined(separator: " ") }
        case .warn: reason = warnings.joined(separator: " ")
        case .pass: reason = passing
        }
        return Control(
            id: id, title: ControlTitles.title(of: id), status: status, reason: reason,
            findingIDs: status == .fail ? failingIDs : status == .warn ? warningIDs : [])
    }
}
