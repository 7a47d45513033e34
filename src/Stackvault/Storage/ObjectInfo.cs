namespace Stackvault.Storage;

/// <summary>What a listing knows of an object.</summary>
public readonly record struct ObjectInfo(ObjectHandle Handle, long Size);
