"""The letter a district sends up when one of its offices reinstalled the program with a new
key: the province trusts the office's old key (it received the office's packages through the
district) and confirms the new one from the two fingerprints in this letter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from db.store import Store
from exports.reports import atomic_write
from exports.reports.layout import (
    BODY_SIZE,
    build_pdf,
    garuda_block,
    letterhead_block,
    signature_block,
)
from exports.reports.options import ReportOptions
from exports.reports.text import para, para_as_written, style
from lev_desktop import gazetteer
from lev_desktop.exchange.keys import format_fingerprint
from lev_desktop.exchange.reinstall import KeyChange
from lev_desktop.services.offices import get_office
from lev_desktop.thai_format import format_date


@dataclass(frozen=True)
class KeyLetter:
    sender_name: str  # the office writing (the district)
    recipient_name: str  # the office above (the province)
    office_name: str  # the office that reinstalled
    office_code: str
    old_fingerprint: str
    new_fingerprint: str
    confirmed_on: dt.date
    confirmed_how: str  # e.g. "ทางโทรศัพท์กับนางสาวสมใจ ใจดี"
    written_on: dt.date


def paragraphs(letter: KeyLetter, options: ReportOptions) -> list[str]:
    """The body of the letter, in the register of an official letter (Thai only: it is a
    document of the Thai administration, like the notice)."""
    confirmed = format_date(letter.confirmed_on, "long", digits=options.digits, thai=True)
    return [
        f"ด้วย{letter.office_name} (รหัส {options.num(letter.office_code)}) ได้ติดตั้งโปรแกรม "
        "LEV Desktop ใหม่ กุญแจอิเล็กทรอนิกส์ที่ใช้ลงลายมือชื่อแพ็กเกจข้อมูลของหน่วยงาน"
        f"ดังกล่าวจึงเปลี่ยนไป {letter.sender_name}ได้ตรวจสอบลายนิ้วมือกุญแจใหม่กับหน่วยงาน"
        f"ดังกล่าว{letter.confirmed_how} เมื่อวันที่ {confirmed} แล้ว ถูกต้องตรงกัน",
        "เนื่องจากแพ็กเกจข้อมูลของหน่วยงานดังกล่าวได้ส่งต่อถึงท่านผ่านหน่วยงานนี้แล้ว "
        "โปรแกรมของท่านจึงยังเชื่อถือกุญแจเดิม และจะไม่นำเข้าแพ็กเกจที่ลงลายมือชื่อด้วยกุญแจใหม่ "
        "จนกว่าจะได้ยืนยันกุญแจใหม่ โปรดเปรียบเทียบลายนิ้วมือข้างต้นกับที่โปรแกรมแสดง "
        "แล้วเลือก “หน่วยงานนี้ติดตั้งโปรแกรมใหม่” ในหน้าแลกเปลี่ยนข้อมูล เมื่อได้รับแพ็กเกจถัดไป",
    ]


def key_letter_pdf(letter: KeyLetter, options: ReportOptions) -> bytes:
    story: list[Flowable] = garuda_block(options, reserve=True)
    story += letterhead_block(options)
    written = format_date(letter.written_on, "long", digits=options.digits, thai=True)
    body = style(BODY_SIZE, first_indent=2.5 * cm, space_after=6)
    mono = style(BODY_SIZE, indent=2.5 * cm, space_after=2)
    story += [
        para(letter.sender_name, style(BODY_SIZE, align="right")),
        para(written, style(BODY_SIZE, indent=8 * cm, space_before=6, space_after=10)),
        para(
            f"เรื่อง  แจ้งกุญแจอิเล็กทรอนิกส์ใหม่ของ{letter.office_name} หลังติดตั้งโปรแกรมใหม่",
            style(BODY_SIZE, space_after=6),
        ),
        para(f"เรียน  {letter.recipient_name}", style(BODY_SIZE, space_after=8)),
    ]
    texts = paragraphs(letter, options)
    story.append(para(texts[0], body))
    story += [
        para("ลายนิ้วมือกุญแจเดิม", style(BODY_SIZE, indent=2.5 * cm, bold=True)),
        para_as_written(format_fingerprint(letter.old_fingerprint), mono),
        para("ลายนิ้วมือกุญแจใหม่", style(BODY_SIZE, indent=2.5 * cm, bold=True, space_before=4)),
        para_as_written(format_fingerprint(letter.new_fingerprint), mono),
        Spacer(1, 6),
        # The closing never starts a page alone: it travels with the last paragraph.
        KeepTogether(
            [
                para(texts[1], body),
                para("จึงเรียนมาเพื่อโปรดทราบและดำเนินการ", body),
                Spacer(1, 10),
                para("ขอแสดงความนับถือ", style(BODY_SIZE, indent=8 * cm)),
                signature_block(
                    options.signer_name, options.signer_position, width=10 * cm, letter=True
                ),
            ]
        ),
    ]
    return build_pdf(
        story,
        landscape_page=False,
        options=options,
        number_style="thai",
        title=f"แจ้งกุญแจใหม่ของ{letter.office_name}",
    )


def write_key_letter(
    store: Store, change: KeyChange, recipient: str, how: str, target: Path
) -> Path:
    """The letter to the office above as a PDF (worker thread)."""
    me = get_office(store, store.office_code) if store.office_code else None
    above = get_office(store, recipient)
    if above is not None:
        addressee = above.name
    else:  # the province office is not in this database: its title, as letters address it
        province = gazetteer.province(me.province_code if me else None)
        addressee = f"ท้องถิ่นจังหวัด{province.name_th}" if province else recipient
    today = dt.date.today()
    letter = KeyLetter(
        sender_name=me.name if me else (store.office_code or ""),
        recipient_name=addressee,
        office_name=change.name or change.office,
        office_code=change.office,
        old_fingerprint=change.old_fingerprint,
        new_fingerprint=change.new_fingerprint,
        confirmed_on=today,
        confirmed_how=f" {how}" if how else "",
        written_on=today,
    )
    data = key_letter_pdf(letter, ReportOptions.from_store(store))

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return atomic_write(target, write)


__all__ = ["KeyLetter", "key_letter_pdf", "paragraphs", "write_key_letter"]
