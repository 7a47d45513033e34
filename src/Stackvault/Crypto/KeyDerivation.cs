using System.Security.Cryptography;
using System.Text;

namespace Stackvault.Crypto;

/// <summary>
/// PBKDF2-HMAC-SHA256 of key files, optionally started ahead of need: a command that knows its repository and
/// password before it has parsed its arguments (<see cref="Repository.KeyPrefetch"/>) runs the derivation on a thread
/// of its own, and <see cref="KeyFile.Open"/> later takes the result instead of deriving again, waiting for it if it is
/// not done yet. A result is used only for the very same password, salt and iteration count, and only once; it is
/// zeroed when taken. Nothing here decides anything: a wrong guess only costs the CPU time of the guess.
/// </summary>
internal static class KeyDerivation
{
    private static readonly List<Started> Derivations = [];
    private static int _announced;

    /// <summary>
    /// Says a derivation may be about to start (its key file is being read): until the returned
    /// <see cref="Ahead"/> runs or is disposed, <see cref="Derive"/> waits rather than derive the same key twice.
    /// </summary>
    public static Ahead Announce()
    {
        lock (Derivations)
        {
            _announced++;
        }

        return new Ahead();
    }

    /// <summary>The 32-byte PBKDF2 key of <paramref name="password"/>: a result derived ahead when one matches, else derived now.</summary>
    public static void Derive(string password, byte[] salt, int iterations, Span<byte> derived)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            if (Take(passwordBytes, salt, iterations) is { } started && started.TryTake(derived))
            {
                return;
            }

            Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, derived, iterations, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>Derivations started and not taken yet (tests).</summary>
    internal static int Pending
    {
        get
        {
            lock (Derivations)
            {
                return Derivations.Count;
            }
        }
    }

    private static Started? Take(byte[] passwordBytes, byte[] salt, int iterations)
    {
        lock (Derivations)
        {
            while (_announced > 0)
            {
                Monitor.Wait(Derivations);
            }

            var index = Derivations.FindIndex(d => d.Matches(passwordBytes, salt, iterations));
            if (index < 0)
            {
                return null;
            }

            var started = Derivations[index];
            Derivations.RemoveAt(index);
            return started;
        }
    }

    private static void Withdraw(Started? started)
    {
        lock (Derivations)
        {
            if (started is not null)
            {
                Derivations.Add(started);
            }

            _announced--;
            Monitor.PulseAll(Derivations);
        }
    }

    /// <summary>An announced derivation: <see cref="Run"/> it on the calling thread, or dispose it to withdraw it.</summary>
    public sealed class Ahead : IDisposable
    {
        private int _ended;

        /// <summary>Derives on the calling thread, for a later <see cref="Derive"/> with the same inputs to take.</summary>
        public void Run(string password, byte[] salt, int iterations)
        {
            var started = new Started(Encoding.UTF8.GetBytes(password), salt, iterations);
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                throw new InvalidOperationException("this derivation was withdrawn or run already");
            }

            Withdraw(started);
            started.Run();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Withdraw(null);
            }
        }
    }

    private sealed class Started(byte[] passwordBytes, byte[] salt, int iterations)
    {
        private readonly byte[] _derived = new byte[MasterKey.KeySize];
        private readonly ManualResetEventSlim _done = new();
        private bool _ok;

        public bool Matches(byte[] password, byte[] otherSalt, int otherIterations) =>
            otherIterations == iterations && otherSalt.AsSpan().SequenceEqual(salt) && CryptographicOperations.FixedTimeEquals(password, passwordBytes);

        public void Run()
        {
            try
            {
                Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, _derived, iterations, HashAlgorithmName.SHA256);
                _ok = true;
            }
            catch (CryptographicException)
            {
                _ok = false;
            }
            finally
            {
                _done.Set();
            }
        }

        /// <summary>Waits for the result and moves it into <paramref name="derived"/>; false if the derivation failed.</summary>
        public bool TryTake(Span<byte> derived)
        {
            _done.Wait();
            try
            {
                if (_ok)
                {
                    _derived.CopyTo(derived);
                }

                return _ok;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(_derived);
                CryptographicOperations.ZeroMemory(passwordBytes);
                _done.Dispose();
            }
        }
    }
}
