import Core
import Foundation

/// The Office 365 Management Activity API `AuditLogRecordType` enum: what `event.code` holds.
///
/// Numbers and names follow Microsoft's schema reference (office-365-management-activity-api-schema, "Enum:
/// AuditLogRecordType"), plus 12 (Sway), which Microsoft has since dropped from the page but Elastic still maps.
/// Elastic's pipeline maps 1–181; for the newer numbers (154, 183 and up) Elastic leaves `event.code` unset while this
/// table names them — no Elastic rule can depend on those being unset, and the name is what an analyst expects.
public enum AuditRecordType {
    /// The member name for a record type number, or nil for a number the schema does not define.
    public static func name(for number: Int) -> String? { names[number] }

    /// Reads a `RecordType` as it arrives: a number, a numeric string ("1"), or a member name ("ExchangeAdmin",
    /// as Purview CSV exports write it; any case). Nil when it names nothing known.
    public static func name(for value: FieldValue?) -> String? {
        switch value {
        case .integer(let number): return names[Int(number)]
        case .double(let number):
            guard number.rounded() == number, abs(number) < 1e9 else { return nil }
            return names[Int(number)]
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let number = Int(trimmed) { return names[number] }
            return namesByLowercase[trimmed.lowercased()]
        case .bool, .list, nil:
            return nil
        }
    }

    static let names: [Int: String] = [
        1: "ExchangeAdmin", 2: "ExchangeItem", 3: "ExchangeItemGroup", 4: "SharePoint", 6: "SharePointFileOperation",
        7: "OneDrive", 8: "AzureActiveDirectory", 9: "AzureActiveDirectoryAccountLogon", 10: "DataCenterSecurityCmdlet",
        11: "ComplianceDLPSharePoint", 12: "Sway", 13: "ComplianceDLPExchange", 14: "SharePointSharingOperation",
        15: "AzureActiveDirectoryStsLogon", 16: "SkypeForBusinessPSTNUsage", 17: "SkypeForBusinessUsersBlocked",
        18: "SecurityComplianceCenterEOPCmdlet", 19: "ExchangeAggregatedOperation", 20: "PowerBIAudit", 21: "CRM",
        22: "Yammer", 23: "SkypeForBusinessCmdlets", 24: "Discovery", 25: "MicrosoftTeams", 28: "ThreatIntelligence",
        29: "MailSubmission", 30: "MicrosoftFlow", 31: "AeD", 32: "MicrosoftStream",
        33: "ComplianceDLPSharePointClassification", 34: "ThreatFinder", 35: "Project", 36: "SharePointListOperation",
        37: "SharePointCommentOperation", 38: "DataGovernance", 39: "Kaizala", 40: "SecurityComplianceAlerts",
        41: "ThreatIntelligenceUrl", 42: "SecurityComplianceInsights", 43: "MIPLabel", 44: "WorkplaceAnalytics",
        45: "PowerAppsApp", 46: "PowerAppsPlan", 47: "ThreatIntelligenceAtpContent", 48: "LabelContentExplorer",
        49: "TeamsHealthcare", 50: "ExchangeItemAggregated", 51: "HygieneEvent", 52: "DataInsightsRestApiAudit",
        53: "InformationBarrierPolicyApplication", 54: "SharePointListItemOperation",
        55: "SharePointContentTypeOperation", 56: "SharePointFieldOperation", 57: "MicrosoftTeamsAdmin", 58: "HRSignal",
        59: "MicrosoftTeamsDevice", 60: "MicrosoftTeamsAnalytics", 61: "InformationWorkerProtection", 62: "Campaign",
        63: "DLPEndpoint", 64: "AirInvestigation", 65: "Quarantine", 66: "MicrosoftForms", 67: "ApplicationAudit",
        68: "ComplianceSupervisionExchange", 69: "CustomerKeyServiceEncryption", 70: "OfficeNative",
        71: "MipAutoLabelSharePointItem", 72: "MipAutoLabelSharePointPolicyLocation", 73: "MicrosoftTeamsShifts",
        75: "MipAutoLabelExchangeItem", 76: "CortanaBriefing", 78: "WDATPAlerts", 82: "SensitivityLabelPolicyMatch",
        83: "SensitivityLabelAction", 84: "SensitivityLabeledFileAction", 85: "AttackSim", 86: "AirManualInvestigation",
        87: "SecurityComplianceRBAC", 88: "UserTraining", 89: "AirAdminActionInvestigation", 90: "MSTIC",
        91: "PhysicalBadgingSignal", 93: "AipDiscover", 94: "AipSensitivityLabelAction", 95: "AipProtectionAction",
        96: "AipFileDeleted", 97: "AipHeartBeat", 98: "MCASAlerts", 99: "OnPremisesFileShareScannerDlp",
        100: "OnPremisesSharePointScannerDlp", 101: "ExchangeSearch", 102: "SharePointSearch", 103: "PrivacyInsights",
        105: "MyAnalyticsSettings", 106: "SecurityComplianceUserChange", 107: "ComplianceDLPExchangeClassification",
        109: "MipExactDataMatch", 113: "MS365DCustomDetection", 147: "CoreReportingSettings",
        148: "ComplianceConnector", 154: "OMEPortal", 174: "DataShareOperation", 181: "EduDataLakeDownloadOperation",
        183: "MicrosoftGraphDataConnectOperation", 186: "PowerPagesSite", 188: "PlannerPlan", 189: "PlannerCopyPlan",
        190: "PlannerTask", 191: "PlannerRoster", 192: "PlannerPlanList", 193: "PlannerTaskList",
        194: "PlannerTenantSettings", 195: "ProjectForThewebProject", 196: "ProjectForThewebTask",
        197: "ProjectForThewebRoadmap", 198: "ProjectForThewebRoadmapItem", 199: "ProjectForThewebProjectSettings",
        200: "ProjectForThewebRoadmapSettings", 216: "VivaGoals", 217: "MicrosoftGraphDataConnectConsent",
        218: "AttackSimAdmin", 230: "TeamsUpdates", 231: "PlannerRosterSensitivityLabel",
        237: "DefenderExpertsforXDRAdmin", 251: "VfamCreatePolicy", 252: "VfamUpdatePolicy", 253: "VfamDeletePolicy",
        261: "CopilotInteraction", 287: "ProjectForThewebAssignedToMeSettings",
    ]

    private static let namesByLowercase: [String: String] = Dictionary(
        names.values.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
}
