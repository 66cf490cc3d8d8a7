import Reading
import Store

extension InputFileRow {
    /// Where reading the input resumes: every record before it is committed.
    var committed: ReadPosition { ReadPosition(offset: committedOffset, line: committedLine) }
}
