import Core

/// One rule's query as Elasticsearch query DSL (what `rules dsl` prints and what a cluster search sends).
public struct RuleQueryDSL: Sendable, Hashable, Encodable {
    /// The rule's id, or nil for a query given on its own.
    public var ruleID: String?
    public var name: String?
    /// The KQL as written.
    public var kql: String
    /// The object that goes under `"query"` in a search request.
    public var query: JSONTree

    public init(rule: DetectionRule) {
        ruleID = rule.ruleID
        name = rule.name
        kql = rule.query.text
        query = rule.query.queryDSL
    }

    public init(query: KQLQuery) {
        ruleID = nil
        name = nil
        kql = query.text
        self.query = query.queryDSL
    }
}
