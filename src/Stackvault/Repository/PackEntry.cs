namespace Stackvault.Repository;

/// <summary>One blob as recorded in a pack header: type, flags, sealed length, plaintext length, id, offset.</summary>
public readonly record struct PackEntry(ObjectId Id, BlobType Type, BlobFlags Flags, uint Offset, uint Length, uint RawLength);
