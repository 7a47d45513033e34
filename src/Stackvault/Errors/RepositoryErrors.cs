using Stackvault.Storage;

namespace Stackvault.Errors;

/// <summary>The repository does not exist (exit 10).</summary>
public sealed class RepositoryNotFoundException(string location)
    : StackvaultException($"repository not found at {location}", ExitCode.RepositoryNotFound);

/// <summary>No key opens with the password (exit 12).</summary>
public sealed class WrongPasswordException()
    : StackvaultException("wrong password: no key in the repository opens with it", ExitCode.WrongPassword);

/// <summary>A conflicting lock is held (exit 11).</summary>
public sealed class RepositoryLockedException(string holder)
    : StackvaultException($"repository is locked: {holder}", ExitCode.Locked);

/// <summary>An object's bytes failed their hash or authentication check, or could not be parsed.</summary>
public sealed class CorruptObjectException(ObjectHandle handle, string detail)
    : StackvaultException($"corrupt object {handle}: {detail}", ExitCode.Failure)
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>An object that should exist is absent.</summary>
public sealed class ObjectNotFoundException(ObjectHandle handle)
    : StackvaultException($"object {handle} not found", ExitCode.Failure)
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>An object with that name exists already; stored objects are never overwritten.</summary>
public sealed class ObjectExistsException(ObjectHandle handle)
    : StackvaultException($"object {handle} exists already; objects are never overwritten", ExitCode.Failure)
{
    public ObjectHandle Handle { get; } = handle;
}

/// <summary>The repository was written by a newer format version than this build understands.</summary>
public sealed class UnsupportedVersionException(string what, int found, int supported)
    : StackvaultException($"{what} has format version {found}; this Stackvault reads up to version {supported}: upgrade Stackvault", ExitCode.Failure);
