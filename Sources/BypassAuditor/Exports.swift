// The executable and the tests import `BypassAuditor` alone and see every stage's public API through it; the
// stages themselves import only what they depend on (see Package.swift), which is what keeps the walls real.
@_exported import Core
@_exported import Detection
@_exported import Drift
@_exported import Ingest
@_exported import Inventory
@_exported import Policy
@_exported import Reading
@_exported import Remote
@_exported import Reporting
@_exported import Store
