import Core

/// Turns JSON into flattened dotted-key fields, the way Elasticsearch indexes a document.
///
/// - Nested objects become dotted paths (`{"o365":{"audit":{"Id":…}}}` → `o365.audit.Id`); keys that already hold dots
///   (Filebeat's flattened form) are joined the same way, so nested, dotted and mixed documents agree.
/// - JSON null is dropped, as Elastic drops it.
/// - Arrays of scalars stay lists. Arrays of objects are indexed as Elasticsearch indexes them (object arrays are not
///   `nested`): one list per leaf path, so `o365.audit.Actor.ID` holds every actor's ID and a query matches any element.
enum FieldFlattener {
    static func flatten(_ value: JSONValue, prefix: String, into fields: inout [String: FieldValue]) {
        switch value {
        case .null:
            return
        case .object(let object):
            for member in object.members {
                flatten(member.value, prefix: join(prefix, member.key), into: &fields)
            }
        case .array(let items):
            flattenArray(items, prefix: prefix, into: &fields)
        default:
            if let scalar = value.scalarFieldValue { fields[prefix] = scalar }
        }
    }

    static func flatten(_ object: JSONObject, prefix: String = "") -> [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        flatten(.object(object), prefix: prefix, into: &fields)
        return fields
    }

    static func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : prefix + "." + key
    }

    private static func flattenArray(_ items: [JSONValue], prefix: String, into fields: inout [String: FieldValue]) {
        var lists: [String: [FieldValue]] = [:]
        var order: [String] = []
        func collect(_ value: JSONValue, _ path: String) {
            switch value {
            case .null:
                return
            case .array(let nested):
                for item in nested { collect(item, path) }
            case .object(let object):
                for member in object.members { collect(member.value, join(path, member.key)) }
            default:
                guard let scalar = value.scalarFieldValue else { return }
                if lists[path] == nil { order.append(path) }
                lists[path, default: []].append(scalar)
            }
        }
        for item in items { collect(item, prefix) }
        if lists.isEmpty {
            // `[]` (or only nulls/empty objects): kept as an empty list, as the document holds it.
            fields[prefix] = .list([])
            return
        }
        for path in order {
            fields[path] = .list(lists[path] ?? [])
        }
    }
}
