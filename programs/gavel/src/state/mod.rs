//! Account layouts. Every account is `discriminator (8) ‖ Borsh fields` with fixed-size fields
//! only, so Anchor's `BorshAccountsCoder` decodes it and the program reads fields at fixed offsets.

pub mod auction;
pub mod backstop;
pub mod config;
pub mod discriminator;
pub mod layout_gen;
pub mod market;
pub mod position;
pub mod seeds_gen;
pub mod stop;
pub mod withdrawal;

pub use auction::Auction;
pub use backstop::{Backstop, BackstopDepositor, BackstopParams};
pub use config::Config;
pub use market::{Curve, Market, MarketParams};
pub use position::Position;
pub use withdrawal::WithdrawalRequest;

use pinocchio::pubkey::Pubkey;

use crate::error::GavelError;

/// Little-endian field reader over an account's data (after its discriminator).
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at `pos`.
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Self { data, pos }
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], GavelError> {
        // A wrapped end (below `pos`) is an empty range: `get` refuses it like any short read.
        let end = self.pos.wrapping_add(N);
        let bytes = self
            .data
            .get(self.pos..end)
            .ok_or(GavelError::InstructionDataInvalid)?;
        self.pos = end;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Reads a `u8`.
    pub fn u8(&mut self) -> Result<u8, GavelError> {
        Ok(self.take::<1>()?[0])
    }

    /// Reads a little-endian `u16`.
    pub fn u16(&mut self) -> Result<u16, GavelError> {
        Ok(u16::from_le_bytes(self.take::<2>()?))
    }

    /// Reads a little-endian `i64`.
    pub fn i64(&mut self) -> Result<i64, GavelError> {
        Ok(i64::from_le_bytes(self.take::<8>()?))
    }

    /// Reads a little-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, GavelError> {
        Ok(u64::from_le_bytes(self.take::<8>()?))
    }

    /// Reads a 32-byte public key.
    pub fn pubkey(&mut self) -> Result<Pubkey, GavelError> {
        self.take::<32>()
    }

    /// Fails unless every byte was consumed (instruction arguments have exact lengths).
    pub fn finish(&self) -> Result<(), GavelError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(GavelError::InstructionDataInvalid)
        }
    }
}

/// Little-endian field writer into a fixed buffer: an account's data, or an event's buffer that
/// need not be zeroed first ([`Writer::new_uninit`]; `sol_log_data` reads only the written part).
pub struct Writer<'a> {
    data: *mut u8,
    cap: usize,
    pos: usize,
    _data: core::marker::PhantomData<&'a mut [u8]>,
}

impl<'a> Writer<'a> {
    /// Starts writing at `pos`.
    pub fn new(data: &'a mut [u8], pos: usize) -> Self {
        Self {
            data: data.as_mut_ptr(),
            cap: data.len(),
            pos,
            _data: core::marker::PhantomData,
        }
    }

    /// Starts writing at the start of a buffer that may be uninitialized; the bytes before
    /// [`Writer::len`] are initialized once written.
    pub fn new_uninit(data: &'a mut [core::mem::MaybeUninit<u8>]) -> Self {
        Self {
            data: data.as_mut_ptr().cast(),
            cap: data.len(),
            pos: 0,
            _data: core::marker::PhantomData,
        }
    }

    /// Writes raw bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        // A wrapped end (below `pos`) or one past the data panics, as a write past the end of a
        // slice always did (layouts are fixed: it never happens).
        let end = self.pos.wrapping_add(b.len());
        assert!(self.pos <= end && end <= self.cap, "write past the end");
        // SAFETY: `pos..end` is inside the `cap` bytes borrowed for `'a` (checked above), and
        // `b` cannot overlap them (it is a shared borrow, they are exclusively borrowed).
        unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), self.data.add(self.pos), b.len()) };
        self.pos = end;
        self
    }

    /// Writes a `u8`.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes(&[v])
    }

    /// Writes a little-endian `u16`.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Writes a little-endian `u64`.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Writes a little-endian `i64`.
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    /// Bytes written so far (including the start offset).
    pub fn len(&self) -> usize {
        self.pos
    }

    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.pos == 0
    }
}

/// `load` (owner, size and discriminator checked by [`check_account`], then `read`) and `store`
/// (`write` into the account, which the caller has validated) for an account type with
/// `DISCRIMINATOR`, `LEN`, `read` and `write`.
macro_rules! account_io {
    ($t:ty) => {
        impl $t {
            /// Loads the account after checking owner, size and discriminator.
            pub fn load(
                account: &pinocchio::account_info::AccountInfo,
            ) -> Result<Self, $crate::error::GavelError> {
                $crate::checks::check_account(account, &Self::DISCRIMINATOR, Self::LEN)?;
                let data = account
                    .try_borrow_data()
                    .map_err(|_| $crate::error::GavelError::AccountDiscriminatorInvalid)?;
                Self::read(&data)
            }

            /// Writes discriminator and fields back into the (already validated) account.
            #[inline(never)]
            pub fn store(
                &self,
                account: &pinocchio::account_info::AccountInfo,
            ) -> Result<(), $crate::error::GavelError> {
                let mut data = account
                    .try_borrow_mut_data()
                    .map_err(|_| $crate::error::GavelError::AccountNotWritable)?;
                self.write(&mut data)
            }
        }
    };
}
pub(crate) use account_io;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_writes_little_endian_fields_in_order() {
        let mut data = [0xffu8; 12];
        let mut w = Writer::new(&mut data, 1);
        w.u8(7).u16(0x0102).u64(0x0807_0605_0403_0201);
        assert_eq!(w.len(), 12);
        assert_eq!(data, [0xff, 7, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn the_writer_fills_an_uninitialized_buffer_from_its_start() {
        let mut buf = [core::mem::MaybeUninit::<u8>::uninit(); 16];
        let mut w = Writer::new_uninit(&mut buf);
        w.bytes(b"abc").i64(-2);
        let len = w.len();
        assert_eq!(len, 11);
        // SAFETY: the writer initialized the first `len` bytes.
        let written = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) };
        assert_eq!(written, b"abc\xfe\xff\xff\xff\xff\xff\xff\xff");
    }

    #[test]
    #[should_panic(expected = "write past the end")]
    fn a_write_past_the_end_panics() {
        let mut data = [0u8; 8];
        Writer::new(&mut data, 1).u64(1);
    }

    #[test]
    #[should_panic(expected = "write past the end")]
    fn a_start_past_the_end_panics() {
        let mut data = [0u8; 8];
        Writer::new(&mut data, 9).bytes(&[]);
    }
}
