using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>An index file as read from the repository; <see cref="Live"/> when no other index file supersedes it.</summary>
public sealed record IndexFileEntry(ObjectHandle Handle, IndexFile File, bool Live);
