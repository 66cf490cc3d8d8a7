import Core

extension DetectionSignal {
    /// What a rule without a `[bypass_auditor] signal` key watches for, read from its query: the cmdlet it requires
    /// (`event.action`), the outcome it requires, and the parameters it looks at. Elastic's own rule files carry no
    /// such key, so this is how the upstream bypass rule maps to `bypassChange`.
    public static func inferred(from query: KQLQuery) -> DetectionSignal {
        let required = RequiredTerms(query.expression)
        let fields = FieldsMentioned(query.expression).names
        let actions = required.values(of: ECSField.action)
        func mentions(_ parameters: [String]) -> Bool {
            parameters.contains { fields.contains(ECSField.parametersPrefix + $0) }
        }
        if actions.contains(ECSField.bypassCmdlet) {
            return required.values(of: ECSField.outcome) == ["failure"] ? .bypassFailedAttempt : .bypassChange
        }
        if actions.contains("Set-Mailbox") {
            if mentions(["AuditOwner", "AuditDelegate", "AuditAdmin"]) { return .mailboxAuditActionsReduced }
            if mentions(["AuditEnabled"]) { return .mailboxAuditDisabled }
        }
        if actions.contains("Set-OrganizationConfig"), mentions(["AuditDisabled"]) { return .organizationAuditDisabled }
        if actions.contains("Set-AdminAuditLogConfig"), mentions(["UnifiedAuditLogIngestionEnabled"]) {
            return .unifiedAuditIngestionDisabled
        }
        return .other
    }
}

/// The `field:value` terms a query requires: those and-ed at its top level (a value list counts as its alternatives).
struct RequiredTerms {
    private var terms: [String: Set<String>] = [:]

    init(_ expression: KQLExpression) {
        collect(expression)
    }

    func values(of field: String) -> Set<String> { terms[field] ?? [] }

    private mutating func collect(_ expression: KQLExpression) {
        switch expression {
        case .and(let operands):
            operands.forEach { collect($0) }
        case .match(let field, let values):
            guard let name = field.literal else { return }
            let alternatives = Self.alternatives(values)
            if !alternatives.isEmpty { terms[name, default: []].formUnion(alternatives) }
        default:
            break
        }
    }

    private static func alternatives(_ values: KQLValueExpression) -> Set<String> {
        switch values {
        case .value(let value): value.literal.map { [$0] } ?? []
        case .or(let operands): operands.reduce(into: Set<String>()) { $0.formUnion(alternatives($1)) }
        case .and, .not: []
        }
    }
}

/// Every field name a query tests positively (under no `not`).
struct FieldsMentioned {
    private(set) var names: Set<String> = []

    init(_ expression: KQLExpression) {
        collect(expression)
    }

    private mutating func collect(_ expression: KQLExpression) {
        switch expression {
        case .or(let operands), .and(let operands): operands.forEach { collect($0) }
        case .not: break
        case .match(let field, _), .range(let field, _, _):
            if let name = field.literal { names.insert(name) }
        case .anyField: break
        }
    }
}
