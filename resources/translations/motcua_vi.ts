<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ActionDialog</name>
    <message>
        <source>Confirm to record this step in the dossier&apos;s timeline.</source>
        <translation>Xác nhận để ghi bước này vào quá trình xử lý hồ sơ.</translation>
    </message>
    <message>
        <source>(keep the current specialist)</source>
        <translation>(giữ chuyên viên đang xử lý)</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Working calendar</source>
        <translation>Lịch làm việc</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Danh mục thủ tục</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sao lưu</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Cannot use the data folder {path}: {error}</source>
        <translation>Không dùng được thư mục dữ liệu {path}: {error}</translation>
    </message>
    <message>
        <source>Damaged database</source>
        <translation>Cơ sở dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>Restore the last backup</source>
        <translation>Khôi phục bản sao lưu gần nhất</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>Đã khôi phục</translation>
    </message>
    <message>
        <source>The last backup was restored. The damaged file was kept as {name}.</source>
        <translation>Đã khôi phục bản sao lưu gần nhất. Tệp hỏng được giữ lại với tên {name}.</translation>
    </message>
    <message>
        <source>Một Cửa cannot start</source>
        <translation>Không khởi động được Một Cửa</translation>
    </message>
    <message>
        <source>Cannot open the main window: {error}</source>
        <translation>Không mở được cửa sổ chính: {error}</translation>
    </message>
</context>
<context>
    <name>AuditEventModel</name>
    <message>
        <source>The audit log could not be read: {error}</source>
        <extracomment>Rows of events of no officer (setup, command-line tools) are shown in this colour. Failed logins and locked accounts stand out. A page failed: the message for the officer (Vietnamese from the service, or ours). The first page of a new filter arrived (rows may be 0). Rows were added (a page arrived): the number of rows and whether more may follow.</extracomment>
        <translation>Không đọc được nhật ký thao tác: {error}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Dossier / object</source>
        <translation>Hồ sơ / đối tượng</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Tóm tắt</translation>
    </message>
    <message>
        <source>Event #{id}</source>
        <translation>Sự kiện #{id}</translation>
    </message>
    <message>
        <source>Not an officer: the office&apos;s setup, a command-line tool or an unknown user name</source>
        <translation>Không phải cán bộ: thiết lập cơ quan, công cụ dòng lệnh hoặc tên đăng nhập không tồn tại</translation>
    </message>
</context>
<context>
    <name>BackupsTab</name>
    <message>
        <source>The app backs the data up once a working day by itself, and before every upgrade. A restore replaces all the office&apos;s data with the chosen backup at the next start; the current data is backed up first.</source>
        <translation>Phần mềm tự sao lưu dữ liệu mỗi ngày làm việc một lần và trước mỗi lần nâng cấp. Khôi phục sẽ thay toàn bộ dữ liệu của cơ quan bằng bản sao lưu được chọn vào lần mở phần mềm tiếp theo; dữ liệu hiện tại được sao lưu trước.</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Phiên bản dữ liệu</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Số hồ sơ</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Sao lưu ngay</translation>
    </message>
    <message>
        <source>Restore this backup…</source>
        <translation>Khôi phục bản này…</translation>
    </message>
    <message>
        <source>Cancel the restore</source>
        <translation>Hủy khôi phục</translation>
    </message>
    <message>
        <source>Daily backups kept:</source>
        <translation>Số bản sao lưu hằng ngày được giữ:</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Hằng ngày</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>Trước khi nâng cấp</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>Trước khi khôi phục</translation>
    </message>
    <message>
        <source>By hand</source>
        <translation>Sao lưu thủ công</translation>
    </message>
    <message>
        <source>At the next start the data will be replaced by the backup {name}.</source>
        <translation>Lần mở phần mềm tiếp theo, dữ liệu sẽ được thay bằng bản sao lưu {name}.</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Backup saved: {name}</source>
        <translation>Đã sao lưu: {name}</translation>
    </message>
    <message>
        <source>Choose a sound backup in the list first.</source>
        <translation>Hãy chọn một bản sao lưu còn tốt trong danh sách.</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>Khôi phục dữ liệu</translation>
    </message>
    <message>
        <source>Replace ALL of this office&apos;s data with the backup made at {time}?

It holds: {office}, {n} dossiers (schema {schema}).
Everything entered after that time will no longer be in the app (the current data is backed up first and can be restored again).

The app must be closed and opened again to do it.</source>
        <translation>Thay TOÀN BỘ dữ liệu của cơ quan bằng bản sao lưu lúc {time}?

Bản sao lưu gồm: {office}, {n} hồ sơ (phiên bản dữ liệu {schema}).
Mọi thứ nhập sau thời điểm đó sẽ không còn trong phần mềm (dữ liệu hiện tại được sao lưu trước và có thể khôi phục lại).

Cần đóng và mở lại phần mềm để thực hiện.</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>Đang kiểm tra bản sao lưu…</translation>
    </message>
    <message>
        <source>The backup is sound. Close Một Cửa now and open it again: the data is restored before the login window.</source>
        <translation>Bản sao lưu còn tốt. Hãy đóng Một Cửa và mở lại: dữ liệu được khôi phục trước khi hiện cửa sổ đăng nhập.</translation>
    </message>
    <message>
        <source>Close the app now</source>
        <translation>Đóng phần mềm ngay</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>The {n} newest daily backups are kept.</source>
        <translation>Giữ {n} bản sao lưu hằng ngày mới nhất.</translation>
    </message>
</context>
<context>
    <name>CalendarTab</name>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Public holidays under the Labour Code are counted automatically. List here the days the government swaps each year and the office&apos;s own days off.</source>
        <translation>Các ngày lễ theo Bộ luật Lao động được tính tự động. Ghi ở đây các ngày nghỉ hoán đổi, làm bù Chính phủ công bố hằng năm và ngày nghỉ riêng của cơ quan.</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Thứ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Add day…</source>
        <translation>Thêm ngày…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>Ngày nghỉ</translation>
    </message>
    <message>
        <source>Make-up working day</source>
        <translation>Ngày làm bù</translation>
    </message>
    <message>
        <source>Official schedule</source>
        <translation>Lịch Chính phủ công bố</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Thứ Hai</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Thứ Ba</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Thứ Tư</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Thứ Năm</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Thứ Sáu</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Thứ Bảy</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Chủ nhật</translation>
    </message>
    <message>
        <source>Remove day</source>
        <translation>Xóa ngày</translation>
    </message>
    <message>
        <source>Remove {day} ({name}) from the calendar?</source>
        <translation>Xóa ngày {day} ({name}) khỏi lịch làm việc?</translation>
    </message>
</context>
<context>
    <name>CatalogueTab</name>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Processing time</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <source>Fee (VND)</source>
        <translation>Lệ phí (đồng)</translation>
    </message>
    <message>
        <source>Online level</source>
        <translation>Mức trực tuyến</translation>
    </message>
    <message>
        <source>Confirm processing time…</source>
        <translation>Xác nhận thời hạn giải quyết…</translation>
    </message>
    <message>
        <source>Count all missing units as working days…</source>
        <translation>Tính mọi thủ tục thiếu đơn vị theo ngày làm việc…</translation>
    </message>
    <message>
        <source>Fully online</source>
        <translation>Toàn trình</translation>
    </message>
    <message>
        <source>Partly online</source>
        <translation>Một phần</translation>
    </message>
    <message>
        <source>Information only</source>
        <translation>Cung cấp thông tin</translation>
    </message>
    <message>
        <source>{amount} (unit not confirmed)</source>
        <translation>{amount} (chưa rõ đơn vị)</translation>
    </message>
    <message>
        <source>, after {hour}: next day</source>
        <translation>, sau {hour}: ngày làm việc tiếp theo</translation>
    </message>
    <message>
        <source>{n} procedures. {m} were published without a time unit: confirm them (double-click a row) before due dates are computed.</source>
        <translation>{n} thủ tục. {m} thủ tục được công bố thiếu đơn vị thời hạn: hãy xác nhận (nháy đúp vào dòng) trước khi tính ngày hẹn trả.</translation>
    </message>
    <message>
        <source>Confirm time units</source>
        <translation>Xác nhận đơn vị thời hạn</translation>
    </message>
    <message>
        <source>Every procedure published without a time unit will count its time in working days (a missing amount as 1 day). Check them against the province&apos;s published list; each can still be changed one by one. Go on?</source>
        <translation>Mọi thủ tục được công bố thiếu đơn vị thời hạn sẽ được tính theo ngày làm việc (thiếu số ngày thì tính 1 ngày). Hãy đối chiếu với danh mục tỉnh đã công bố; vẫn có thể sửa từng thủ tục sau đó. Tiếp tục?</translation>
    </message>
</context>
<context>
    <name>ComponentsTable</name>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Bản chính</translation>
    </message>
    <message>
        <source>Certified copy</source>
        <translation>Bản chứng thực</translation>
    </message>
    <message>
        <source>Photocopy</source>
        <translation>Bản photo</translation>
    </message>
    <message>
        <source>✓ Submitted</source>
        <translation>✓ Đã nộp</translation>
    </message>
    <message>
        <source>✗ Missing</source>
        <translation>✗ Còn thiếu</translation>
    </message>
    <message>
        <source>— Not needed</source>
        <translation>— Không cần</translation>
    </message>
</context>
<context>
    <name>CrashNotifier</name>
    <message>
        <source>(the report could not be saved)</source>
        <translation>(không lưu được báo cáo)</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Đã có lỗi</translation>
    </message>
    <message>
        <source>Một Cửa met an unexpected error. What you saved is safe; the last action may not have finished — please check it and do it again if needed.

A report was saved for IT support: {path}
IT staff can collect it with the command: motcua diagnose</source>
        <translation>Một Cửa gặp một lỗi không mong muốn. Dữ liệu đã lưu vẫn an toàn; thao tác vừa rồi có thể chưa xong — hãy kiểm tra và làm lại nếu cần.

Đã lưu báo cáo lỗi cho bộ phận hỗ trợ: {path}
Cán bộ IT có thể gom báo cáo bằng lệnh: motcua diagnose</translation>
    </message>
</context>
<context>
    <name>CropDialog</name>
    <message>
        <source>Crop the page</source>
        <translation>Cắt trang</translation>
    </message>
    <message>
        <source>Drag over the page to mark the part to keep. Everything outside it is left out of the PDF.</source>
        <translation>Kéo chuột trên trang để chọn phần cần giữ. Phần bên ngoài sẽ không có trong tệp PDF.</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>Cả trang</translation>
    </message>
    <message>
        <source>Take the crop away: keep the whole page</source>
        <translation>Bỏ cắt: giữ cả trang</translation>
    </message>
    <message>
        <source>Crop</source>
        <translation>Cắt</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <extracomment>Emitted after each refresh (the Dashboard shown). Called with (id, code) when a dossier of a list is double-clicked (the main window shows it in the dossiers area); None: the list&apos;s drill-down opens.</extracomment>
        <translation>Bảng điều hành</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Monthly trend (%)</source>
        <translation>Diễn biến theo tháng (%)</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Đang tính…</translation>
    </message>
    <message>
        <source>{period} · counted at {time}</source>
        <translation>{period} · số liệu lúc {time}</translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <source>Add a calendar day</source>
        <translation>Thêm ngày vào lịch</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>Ngày nghỉ</translation>
    </message>
    <message>
        <source>Make-up working day</source>
        <translation>Ngày làm bù</translation>
    </message>
    <message>
        <source>Name or reason</source>
        <translation>Tên hoặc lý do</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>DigitiseDialog</name>
    <message>
        <source>Digitise — {name}</source>
        <translation>Số hóa — {name}</translation>
    </message>
    <message>
        <source>Digitise</source>
        <translation>Số hóa</translation>
    </message>
    <message>
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message>
        <source>Find scanners</source>
        <translation>Tìm máy quét</translation>
    </message>
    <message>
        <source>Look again for connected scanners</source>
        <translation>Tìm lại máy quét đang kết nối</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Quét</translation>
    </message>
    <message>
        <source>Scan with the chosen scanner: one page from the glass, or every page in the feeder (F5)</source>
        <translation>Quét bằng máy quét đã chọn: một trang trên mặt kính hoặc mọi trang trong khay nạp (F5)</translation>
    </message>
    <message>
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <source>Add image files (PNG, JPEG, TIFF, BMP, WebP) or PDF files (Ctrl+O); you can also drag files onto this window</source>
        <translation>Thêm tệp ảnh (PNG, JPEG, TIFF, BMP, WebP) hoặc tệp PDF (Ctrl+O); cũng có thể kéo thả tệp vào cửa sổ này</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <source>The kind of paper decides the scan settings; changed settings are remembered for this kind</source>
        <translation>Loại giấy tờ quyết định thông số quét; thông số đã đổi được ghi nhớ cho loại này</translation>
    </message>
    <message>
        <source>{dpi} dpi</source>
        <translation>{dpi} dpi</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>Khay nạp giấy</translation>
    </message>
    <message>
        <source>Scan every sheet in the automatic document feeder instead of one page from the glass</source>
        <translation>Quét mọi tờ trong khay nạp giấy tự động thay vì một trang trên mặt kính</translation>
    </message>
    <message>
        <source>Straighten</source>
        <translation>Làm thẳng</translation>
    </message>
    <message>
        <source>Straighten scanned pages automatically</source>
        <translation>Tự động làm thẳng trang khi quét</translation>
    </message>
    <message>
        <source>Skip blank pages</source>
        <translation>Bỏ trang trắng</translation>
    </message>
    <message>
        <source>Leave out blank pages while scanning (the backs of one-sided sheets)</source>
        <translation>Bỏ các trang trắng khi quét (mặt sau của tờ in một mặt)</translation>
    </message>
    <message>
        <source>Kind of paper</source>
        <translation>Loại giấy tờ</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <source>Rotate left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <source>Turn the selected pages a quarter to the left (Ctrl+L)</source>
        <translation>Xoay các trang đã chọn một góc vuông sang trái (Ctrl+L)</translation>
    </message>
    <message>
        <source>Rotate right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <source>Turn the selected pages a quarter to the right (Ctrl+R)</source>
        <translation>Xoay các trang đã chọn một góc vuông sang phải (Ctrl+R)</translation>
    </message>
    <message>
        <source>Crop…</source>
        <translation>Cắt…</translation>
    </message>
    <message>
        <source>Keep only part of the selected page</source>
        <translation>Chỉ giữ một phần của trang đang chọn</translation>
    </message>
    <message>
        <source>Straighten tilted pages automatically</source>
        <translation>Tự động làm thẳng các trang bị nghiêng</translation>
    </message>
    <message>
        <source>Selected pages</source>
        <translation>Các trang đã chọn</translation>
    </message>
    <message>
        <source>All pages</source>
        <translation>Tất cả các trang</translation>
    </message>
    <message>
        <source>Remove blank pages</source>
        <translation>Bỏ trang trắng</translation>
    </message>
    <message>
        <source>Find the blank pages and remove them</source>
        <translation>Tìm và bỏ các trang trắng</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Delete the selected pages (Del)</source>
        <translation>Xóa các trang đã chọn (Del)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Undo the last change to the pages (Ctrl+Z)</source>
        <translation>Hoàn tác thay đổi vừa rồi trên các trang (Ctrl+Z)</translation>
    </message>
    <message>
        <source>No pages yet.
Scan, import files, or drag image and PDF files here.</source>
        <translation>Chưa có trang nào.
Hãy quét, nhập tệp hoặc kéo thả tệp ảnh, PDF vào đây.</translation>
    </message>
    <message>
        <source>Drag pages to change their order (Alt+Left, Alt+Right move the selected page)</source>
        <translation>Kéo các trang để đổi thứ tự (Alt+Trái, Alt+Phải di chuyển trang đang chọn)</translation>
    </message>
    <message>
        <source>Select a page to see it larger.</source>
        <translation>Chọn một trang để xem lớn hơn.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Stop; the pages already there are kept</source>
        <translation>Dừng; các trang đã có vẫn được giữ</translation>
    </message>
    <message>
        <source>Recognise text (OCR)</source>
        <translation>Nhận dạng chữ (OCR)</translation>
    </message>
    <message>
        <source>Checking whether text recognition is installed…</source>
        <translation>Đang kiểm tra chức năng nhận dạng chữ…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>Lưu PDF</translation>
    </message>
    <message>
        <source>Make one PDF of these pages and keep it with the dossier (Ctrl+S)</source>
        <translation>Tạo một tệp PDF từ các trang này và lưu vào hồ sơ (Ctrl+S)</translation>
    </message>
    <message>
        <source>Result of dossier {code}</source>
        <translation>Kết quả của hồ sơ {code}</translation>
    </message>
    <message>
        <source>Paper of dossier {code}</source>
        <translation>Giấy tờ của hồ sơ {code}</translation>
    </message>
    <message>
        <source>No scanner found</source>
        <translation>Không tìm thấy máy quét</translation>
    </message>
    <message>
        <source>Check that the scanner is switched on and its cable plugged in, then press “Find scanners”.</source>
        <translation>Kiểm tra máy quét đã bật và đã cắm cáp, rồi bấm “Tìm máy quét”.</translation>
    </message>
    <message>
        <source>No scanner found. {advice} Meanwhile, import image or PDF files, or drag them onto this window.</source>
        <translation>Không tìm thấy máy quét. {advice} Trong lúc đó có thể nhập tệp ảnh, PDF hoặc kéo thả vào cửa sổ này.</translation>
    </message>
    <message>
        <source>Stopped. The pages already there are kept.</source>
        <translation>Đã dừng. Các trang đã có vẫn được giữ.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Đang dừng…</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Đang quét…</translation>
    </message>
    <message>
        <source>Import files</source>
        <translation>Nhập tệp</translation>
    </message>
    <message>
        <source>Images and PDF files ({exts});;All files (*)</source>
        <translation>Tệp ảnh và PDF ({exts});;Tất cả tệp (*)</translation>
    </message>
    <message>
        <source>Wait until the current step finishes, then import again.</source>
        <translation>Hãy chờ bước hiện tại xong rồi nhập lại.</translation>
    </message>
    <message>
        <source>Importing {n} files…</source>
        <translation>Đang nhập {n} tệp…</translation>
    </message>
    <message>
        <source>{n} pages so far…</source>
        <translation>Đã có {n} trang…</translation>
    </message>
    <message>
        <source>{n} blank pages were left out.</source>
        <translation>Đã bỏ {n} trang trắng.</translation>
    </message>
    <message>
        <source>{n} pages were added from the other files.</source>
        <translation>Đã thêm {n} trang từ các tệp còn lại.</translation>
    </message>
    <message>
        <source>Opening the page…</source>
        <translation>Đang mở trang…</translation>
    </message>
    <message>
        <source>Straightening {n} pages…</source>
        <translation>Đang làm thẳng {n} trang…</translation>
    </message>
    <message>
        <source>{n} pages were straightened.</source>
        <translation>Đã làm thẳng {n} trang.</translation>
    </message>
    <message>
        <source>The pages are already straight.</source>
        <translation>Các trang đã thẳng.</translation>
    </message>
    <message>
        <source>Looking for blank pages…</source>
        <translation>Đang tìm trang trắng…</translation>
    </message>
    <message>
        <source>No blank page found.</source>
        <translation>Không có trang trắng.</translation>
    </message>
    <message>
        <source>{n} blank pages were removed (Ctrl+Z puts them back).</source>
        <translation>Đã bỏ {n} trang trắng (Ctrl+Z để lấy lại).</translation>
    </message>
    <message>
        <source>There are no pages to save yet.</source>
        <translation>Chưa có trang nào để lưu.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Making the PDF of {n} pages…</source>
        <translation>Đang tạo tệp PDF {n} trang…</translation>
    </message>
    <message>
        <source>Keeping the PDF with the dossier…</source>
        <translation>Đang lưu tệp PDF vào hồ sơ…</translation>
    </message>
    <message>
        <source>The PDF was not saved: {reason}</source>
        <translation>Chưa lưu được tệp PDF: {reason}</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} trang</translation>
    </message>
    <message>
        <source>Page {n} of {total}</source>
        <translation>Trang {n}/{total}</translation>
    </message>
    <message>
        <source>Close without saving?</source>
        <translation>Đóng mà không lưu?</translation>
    </message>
    <message>
        <source>The {n} pages here have not been saved as a PDF. Close and discard them?</source>
        <translation>{n} trang ở đây chưa được lưu thành PDF. Đóng và bỏ các trang này?</translation>
    </message>
    <message>
        <source>The PDF is being saved; the window closes when it is done.</source>
        <translation>Đang lưu tệp PDF; cửa sổ sẽ đóng khi xong.</translation>
    </message>
    <message>
        <source>No text was recognised in “{name}”.</source>
        <translation>Không nhận dạng được chữ nào trong “{name}”.</translation>
    </message>
    <message>
        <source>Text recognised in “{name}” ({n} pages): the dossier can now be found by its content.</source>
        <translation>Đã nhận dạng chữ trong “{name}” ({n} trang): giờ có thể tìm hồ sơ theo nội dung.</translation>
    </message>
    <message>
        <source>The recognised text was not kept: {reason}</source>
        <translation>Chưa lưu được chữ đã nhận dạng: {reason}</translation>
    </message>
    <message>
        <source>Recognising the text of “{name}” in the background…</source>
        <translation>Đang nhận dạng chữ của “{name}” trong nền…</translation>
    </message>
</context>
<context>
    <name>DossierDetailPane</name>
    <message>
        <source>Select a dossier to see its details.</source>
        <translation>Chọn một hồ sơ để xem chi tiết.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Người xử lý</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Nội dung xử lý</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>Số bản</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Ngày nộp</translation>
    </message>
    <message>
        <source>Yes. Under the Law on Protection of State Secrets this dossier is never sent to the provincial system and its papers are never scanned or digitised: it is kept and processed on paper at this office only.</source>
        <translation>Có. Theo Luật Bảo vệ bí mật nhà nước, hồ sơ này không bao giờ được gửi lên hệ thống của tỉnh và giấy tờ không bao giờ được quét hay số hóa: hồ sơ chỉ được lưu và xử lý trên giấy tại cơ quan.</translation>
    </message>
    <message>
        <source>Digitised</source>
        <translation>Đã số hóa</translation>
    </message>
    <message>
        <source>Processing timeline</source>
        <translation>Quá trình xử lý</translation>
    </message>
    <message>
        <source>Print control slip</source>
        <extracomment>&quot;Print control slip&quot; was clicked for this dossier (a received one).</extracomment>
        <translation>In phiếu kiểm soát</translation>
    </message>
    <message>
        <source>The slip that goes with the dossier: every hand-over, signed by both officers</source>
        <translation>Phiếu đi kèm hồ sơ: mỗi lần giao nhận, có chữ ký của bên giao và bên nhận</translation>
    </message>
    <message>
        <source>Handed in</source>
        <translation>Đã nộp</translation>
    </message>
    <message>
        <source>Digitisation</source>
        <translation>Số hóa</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Papers</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Digitise…</source>
        <translation>Số hóa…</translation>
    </message>
    <message>
        <source>Scan or import the selected paper and keep it as a PDF with the dossier</source>
        <translation>Quét hoặc nhập giấy tờ đang chọn và lưu thành tệp PDF trong hồ sơ</translation>
    </message>
    <message>
        <source>View file</source>
        <translation>Xem tệp</translation>
    </message>
    <message>
        <source>Open the digitised paper</source>
        <translation>Mở giấy tờ đã số hóa</translation>
    </message>
    <message>
        <source>Reuse digitised paper…</source>
        <translation>Dùng lại giấy tờ đã số hóa…</translation>
    </message>
    <message>
        <source>Attach a paper this citizen had digitised for an earlier dossier, without scanning it again</source>
        <translation>Gắn giấy tờ công dân đã được số hóa ở hồ sơ trước, không cần quét lại</translation>
    </message>
    <message>
        <source>Scan or import the selected result and keep it as a PDF with the dossier</source>
        <translation>Quét hoặc nhập kết quả đang chọn và lưu thành tệp PDF trong hồ sơ</translation>
    </message>
    <message>
        <source>Open the digitised result</source>
        <translation>Mở kết quả đã số hóa</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{code}&lt;/b&gt; — {status}</source>
        <translation>&lt;b&gt;{code}&lt;/b&gt; — {status}</translation>
    </message>
    <message>
        <source>(no code)</source>
        <translation>(chưa có mã)</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Bưu chính công ích</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <source> (old ID {n})</source>
        <translation> (CMND cũ {n})</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày tiếp nhận</translation>
    </message>
    <message>
        <source> by {name}</source>
        <translation>, người tiếp nhận: {name}</translation>
    </message>
    <message>
        <source>{time} — overdue</source>
        <translation>{time} — quá hạn</translation>
    </message>
    <message>
        <source>{time} — due soon</source>
        <translation>{time} — sắp đến hạn</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn trả</translation>
    </message>
    <message>
        <source>First due date</source>
        <translation>Hạn trả ban đầu</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Cán bộ xử lý</translation>
    </message>
    <message>
        <source>Processed</source>
        <translation>Xử lý xong</translation>
    </message>
    <message>
        <source>Result returned</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <source> (by post)</source>
        <translation> (qua bưu chính)</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Từ chối tiếp nhận</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>{name}: {amount} đ ({paid})</source>
        <translation>{name}: {amount} đ ({paid})</translation>
    </message>
    <message>
        <source>paid online</source>
        <translation>đã nộp trực tuyến</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>đã nộp</translation>
    </message>
    <message>
        <source>not paid</source>
        <translation>chưa nộp</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>Phí, lệ phí</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>State secret</source>
        <translation>Bí mật nhà nước</translation>
    </message>
    <message>
        <source>Not digitised</source>
        <translation>Chưa số hóa</translation>
    </message>
    <message>
        <source>Reused (paper)</source>
        <translation>Tái sử dụng (giấy tờ)</translation>
    </message>
    <message>
        <source>Reused (result)</source>
        <translation>Tái sử dụng (kết quả)</translation>
    </message>
    <message>
        <source>{n} original</source>
        <translation>{n} bản chính</translation>
    </message>
    <message>
        <source>{n} certified</source>
        <translation>{n} bản sao chứng thực</translation>
    </message>
    <message>
        <source>{n} photocopy</source>
        <translation>{n} bản photo</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Thiếu</translation>
    </message>
    <message>
        <source>{state} · {n} p.</source>
        <translation>{state} · {n} tr.</translation>
    </message>
    <message>
        <source>Papers ({n})</source>
        <translation>Thành phần hồ sơ ({n})</translation>
    </message>
    <message>
        <source> · {n} missing</source>
        <translation> · thiếu {n}</translation>
    </message>
    <message>
        <source> · {n} digitised</source>
        <translation> · {n} đã số hóa</translation>
    </message>
    <message>
        <source>Digitised · {n} p.</source>
        <translation>Đã số hóa · {n} tr.</translation>
    </message>
    <message>
        <source>Results ({n} · {m} digitised)</source>
        <translation>Kết quả ({n} · {m} đã số hóa)</translation>
    </message>
    <message>
        <source>Digitised {time} by {name}, {n} pages</source>
        <translation>Số hóa lúc {time} bởi {name}, {n} trang</translation>
    </message>
    <message>
        <source>Reused from dossier {code}</source>
        <translation>Dùng lại từ hồ sơ {code}</translation>
    </message>
    <message>
        <source>{content}
Step deadline: {time}</source>
        <translation>{content}
Hạn của bước: {time}</translation>
    </message>
    <message>
        <source>Processing timeline ({n} steps)</source>
        <translation>Quá trình xử lý ({n} bước)</translation>
    </message>
    <message>
        <source>This paper was not handed in: there is nothing to digitise</source>
        <translation>Giấy tờ này không được nộp: không có gì để số hóa</translation>
    </message>
    <message>
        <source>Dossier {code}</source>
        <translation>Hồ sơ {code}</translation>
    </message>
</context>
<context>
    <name>DossierListBox</name>
    <message>
        <source>See all</source>
        <translation>Xem tất cả</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
</context>
<context>
    <name>DossierListModel</name>
    <message>
        <source>The dossiers could not be read: {error}</source>
        <extracomment>Rows coloured &quot;due soon&quot; when due within this many days. (count, more): `count` dossiers match, or more than `count` when `more`. A page (or count) failed: the Vietnamese message for the officer. The first page of a new query arrived (rows may be 0).</extracomment>
        <translation>Không đọc được danh sách hồ sơ: {error}</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày tiếp nhận</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn trả</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Bưu chính công ích</translation>
    </message>
    <message>
        <source>not received</source>
        <translation>chưa tiếp nhận</translation>
    </message>
    <message>
        <source>ID number: {n}</source>
        <translation>Số định danh: {n}</translation>
    </message>
    <message>
        <source>Phone: {n}</source>
        <translation>Điện thoại: {n}</translation>
    </message>
    <message>
        <source>Submitted {time}, not received</source>
        <translation>Nộp lúc {time}, chưa tiếp nhận</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>Due within {n} days</source>
        <translation>Đến hạn trong {n} ngày</translation>
    </message>
    <message>
        <source>Result returned {time}</source>
        <translation>Đã trả kết quả {time}</translation>
    </message>
    <message>
        <source>Processed {time}</source>
        <translation>Xử lý xong {time}</translation>
    </message>
</context>
<context>
    <name>DossiersPage</name>
    <message>
        <source>Dossiers</source>
        <extracomment>The officer opened a dossier (Enter or double-click on its row).</extracomment>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Read the list again (F5)</source>
        <translation>Tải lại danh sách (F5)</translation>
    </message>
    <message>
        <source>Tracking book…</source>
        <translation>Sổ theo dõi…</translation>
    </message>
    <message>
        <source>The book of the dossiers received in a period: print it or export it to Excel</source>
        <translation>Sổ theo dõi hồ sơ tiếp nhận trong một kỳ: in hoặc xuất ra Excel</translation>
    </message>
    <message>
        <source>No dossier matches these filters.</source>
        <translation>Không có hồ sơ nào khớp với bộ lọc.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Đang đếm…</translation>
    </message>
    <message>
        <source>more than {n} dossiers</source>
        <translation>hơn {n} hồ sơ</translation>
    </message>
    <message>
        <source>{n} dossiers</source>
        <translation>{n} hồ sơ</translation>
    </message>
</context>
<context>
    <name>DraftsWidget</name>
    <message>
        <source>Continue this draft (Enter)</source>
        <translation>Tiếp tục bản nháp này (Enter)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ bản nháp</translation>
    </message>
    <message>
        <source>Forms not yet received are kept here, also after a restart.</source>
        <translation>Các phiếu chưa tiếp nhận xong được giữ ở đây, kể cả khi tắt máy hoặc mở lại phần mềm.</translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>Tải thêm</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>{shown} of {total} dossiers shown</source>
        <translation>Đang hiện {shown}/{total} hồ sơ</translation>
    </message>
    <message>
        <source>{shown} dossiers shown</source>
        <translation>Đang hiện {shown} hồ sơ</translation>
    </message>
</context>
<context>
    <name>EventDetailPane</name>
    <message>
        <source>Only changed fields</source>
        <translation>Chỉ các trường thay đổi</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Select an event to see what it changed.</source>
        <translation>Chọn một sự kiện để xem nội dung thay đổi.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{action}&lt;/b&gt; — {object}</source>
        <translation>&lt;b&gt;{action}&lt;/b&gt; — {object}</translation>
    </message>
    <message>
        <source>{time} · {officer} · event #{id}</source>
        <translation>{time} · {officer} · sự kiện #{id}</translation>
    </message>
    <message>
        <source>This event records no data, only who did what and when.</source>
        <translation>Sự kiện này không ghi dữ liệu, chỉ ghi ai làm gì và khi nào.</translation>
    </message>
    <message>
        <source>{changed} of {total} fields changed</source>
        <translation>{changed}/{total} trường thay đổi</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search: dossier code, name, ID number or phone (Ctrl+F)</source>
        <extracomment>Enter or Down in the search box: the officer wants to go to the table.</extracomment>
        <translation>Tìm: mã hồ sơ, họ tên, số định danh hoặc số điện thoại (Ctrl+F)</translation>
    </message>
    <message>
        <source>All procedures</source>
        <translation>Tất cả thủ tục</translation>
    </message>
    <message>
        <source>Type to narrow the list</source>
        <translation>Gõ để thu hẹp danh sách</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>Tất cả lĩnh vực</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Tất cả kênh</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Bưu chính công ích</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <source>Due within this many days (— : off)</source>
        <translation>Đến hạn trong số ngày này (— : không lọc)</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Bỏ lọc</translation>
    </message>
    <message>
        <source>Received from</source>
        <translation>Tiếp nhận từ ngày</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Due within</source>
        <translation>Sắp đến hạn trong</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Hello, {name}</source>
        <translation>Xin chào, {name}</translation>
    </message>
    <message>
        <source>Online dossiers waiting for reception</source>
        <translation>Hồ sơ trực tuyến chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Received today</source>
        <translation>Tiếp nhận hôm nay</translation>
    </message>
    <message>
        <source>Being processed</source>
        <translation>Đang giải quyết</translation>
    </message>
    <message>
        <source>Due within 3 days</source>
        <translation>Đến hạn trong 3 ngày</translation>
    </message>
    <message>
        <source>Overdue, not yet resolved</source>
        <translation>Quá hạn, chưa giải quyết xong</translation>
    </message>
    <message>
        <source>Resolved, waiting to be returned</source>
        <translation>Đã giải quyết, chờ trả kết quả</translation>
    </message>
    <message>
        <source>All dossiers in this office</source>
        <translation>Tổng số hồ sơ của cơ quan</translation>
    </message>
    <message>
        <source>Changes waiting to be sent to the province</source>
        <translation>Thay đổi chờ gửi lên tỉnh</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>{office} · figures as of {time}</source>
        <translation>{office} · số liệu lúc {time}</translation>
    </message>
</context>
<context>
    <name>IndicatorCard</name>
    <message>
        <source>Click to see the dossiers behind this figure.</source>
        <translation>Bấm để xem các hồ sơ tạo nên số liệu này.</translation>
    </message>
</context>
<context>
    <name>InspectionFilterBar</name>
    <message>
        <source>All officers</source>
        <extracomment>Down in the dossier box: the officer wants to go to the table.</extracomment>
        <translation>Tất cả cán bộ</translation>
    </message>
    <message>
        <source>Type to narrow the list</source>
        <translation>Gõ để lọc danh sách</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Tất cả thao tác</translation>
    </message>
    <message>
        <source>Dossier code, then Enter (Ctrl+F)</source>
        <translation>Mã hồ sơ, rồi Enter (Ctrl+F)</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Bỏ lọc</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>{name} (no longer active)</source>
        <translation>{name} (đã ngừng hoạt động)</translation>
    </message>
    <message>
        <source>Not an officer (setup, command-line tools, unknown user names)</source>
        <translation>Không phải cán bộ (thiết lập, công cụ dòng lệnh, tên đăng nhập không tồn tại)</translation>
    </message>
    <message>
        <source>A dossier&apos;s whole history is shown, whatever the period</source>
        <translation>Hiển thị toàn bộ lịch sử của hồ sơ, không phụ thuộc thời gian</translation>
    </message>
</context>
<context>
    <name>InspectionPage</name>
    <message>
        <source>Audit log</source>
        <extracomment>Problems of the chain listed on the page (all of them are counted).</extracomment>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Verify the chain</source>
        <translation>Kiểm tra chuỗi nhật ký</translation>
    </message>
    <message>
        <source>Recompute the hash chain of the whole log: finds rows changed or deleted outside the application</source>
        <translation>Tính lại chuỗi mã băm của toàn bộ nhật ký: phát hiện dòng bị sửa hoặc xóa ngoài phần mềm</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Read the list again (F5)</source>
        <translation>Đọc lại danh sách (F5)</translation>
    </message>
    <message>
        <source>Checking… %p%</source>
        <translation>Đang kiểm tra… %p%</translation>
    </message>
    <message>
        <source>Stop checking</source>
        <translation>Dừng kiểm tra</translation>
    </message>
    <message>
        <source>Checking the audit log… You can keep working.</source>
        <translation>Đang kiểm tra nhật ký… Anh/chị vẫn làm việc bình thường.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>{n} events shown, more as you scroll</source>
        <translation>Đã hiện {n} sự kiện, cuộn xuống để xem thêm</translation>
    </message>
    <message>
        <source>{n} events</source>
        <translation>{n} sự kiện</translation>
    </message>
    <message>
        <source>No event matches these filters.</source>
        <translation>Không có sự kiện nào khớp điều kiện lọc.</translation>
    </message>
    <message>
        <source>… and {n} more problems</source>
        <translation>… và {n} vấn đề khác</translation>
    </message>
    <message>
        <source>The check was stopped before the end.</source>
        <translation>Việc kiểm tra đã dừng trước khi xong.</translation>
    </message>
    <message>
        <source>The audit log could not be checked: {error}</source>
        <translation>Không kiểm tra được nhật ký: {error}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in — Một Cửa</source>
        <translation>Đăng nhập — Một Cửa</translation>
    </message>
    <message>
        <source>Log in to start work</source>
        <translation>Đăng nhập để bắt đầu làm việc</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Vui lòng nhập tên đăng nhập và mật khẩu.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Một Cửa — {office}</source>
        <translation>Một Cửa — {office}</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>Reception</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Xử lý</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Bảng điều hành</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>Giám sát</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Sao lưu ngay</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Reminders…</source>
        <translation>Nhắc việc…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Đi đến</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Phím tắt</translation>
    </message>
    <message>
        <source>About Một Cửa</source>
        <translation>Giới thiệu Một Cửa</translation>
    </message>
    <message>
        <source>{office} · {code} · Desk {desk}</source>
        <translation>{office} · {code} · Quầy {desk}</translation>
    </message>
    <message>
        <source>Officer: {name}</source>
        <translation>Cán bộ: {name}</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <source>Offline · province server not configured · {n} changes waiting</source>
        <translation>Ngoại tuyến · chưa cấu hình máy chủ tỉnh · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Backup saved: {name}</source>
        <translation>Đã sao lưu: {name}</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>Sao lưu không thành công</translation>
    </message>
    <message>
        <source>&lt;b&gt;Một Cửa&lt;/b&gt; {version}&lt;br&gt;Software for commune one-stop offices: reception, processing, digitisation and reports, working offline and syncing with the provincial system.&lt;br&gt;&lt;br&gt;Data folder: {path}</source>
        <translation>&lt;b&gt;Một Cửa&lt;/b&gt; {version}&lt;br&gt;Phần mềm cho bộ phận một cửa cấp xã: tiếp nhận, xử lý, số hóa và báo cáo; làm việc cả khi mất mạng và đồng bộ với hệ thống của tỉnh.&lt;br&gt;&lt;br&gt;Thư mục dữ liệu: {path}</translation>
    </message>
</context>
<context>
    <name>OfficeTab</name>
    <message>
        <source>Office name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>Agency code</source>
        <translation>Mã định danh cơ quan</translation>
    </message>
    <message>
        <source>Desk number</source>
        <translation>Số quầy</translation>
    </message>
    <message>
        <source>Place name on printed forms</source>
        <translation>Địa danh in trên phiếu</translation>
    </message>
    <message>
        <source>Parent authority</source>
        <translation>Cơ quan cấp trên</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
</context>
<context>
    <name>OfficerDialog</name>
    <message>
        <source>Edit officer</source>
        <translation>Sửa thông tin cán bộ</translation>
    </message>
    <message>
        <source>Add officer</source>
        <translation>Thêm cán bộ</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>Chức danh</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Phòng ban</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
</context>
<context>
    <name>OfficersTab</name>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>Chức danh</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add officer…</source>
        <translation>Thêm cán bộ…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>Đặt mật khẩu…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Ngừng hoạt động</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>Tạm khóa đến {time}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>Đã đổi mật khẩu.</translation>
    </message>
</context>
<context>
    <name>OnlineQueueWidget</name>
    <message>
        <source>Submitted</source>
        <translation>Ngày nộp</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Receive (Ctrl+Enter)</source>
        <translation>Tiếp nhận (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Refuse… (Ctrl+R)</source>
        <translation>Từ chối… (Ctrl+R)</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>Làm mới (F5)</translation>
    </message>
    <message>
        <source>No online dossier is waiting.</source>
        <translation>Không có hồ sơ trực tuyến nào đang chờ.</translation>
    </message>
    <message>
        <source>Papers submitted online</source>
        <translation>Giấy tờ đã nộp trực tuyến</translation>
    </message>
    <message>
        <source>Received: {code}</source>
        <translation>Đã tiếp nhận: {code}</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <source>Page {n}</source>
        <translation>Trang {n}</translation>
    </message>
    <message>
        <source>from a PDF file, page {n}</source>
        <translation>từ tệp PDF, trang {n}</translation>
    </message>
    <message>
        <source>turned {deg}°</source>
        <translation>đã xoay {deg}°</translation>
    </message>
    <message>
        <source>straightened {deg}°</source>
        <translation>đã làm thẳng {deg}°</translation>
    </message>
    <message>
        <source>cropped</source>
        <translation>đã cắt</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>Mật khẩu mới cho {name}</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>Previous</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>Previous page (Page Up)</source>
        <translation>Trang trước (Page Up)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Next page (Page Down)</source>
        <translation>Trang sau (Page Down)</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Thu nhỏ (Ctrl+-)</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Phóng to (Ctrl++)</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <source>Pages as wide as the window (Ctrl+0)</source>
        <translation>Trang rộng bằng cửa sổ (Ctrl+0)</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>Cả trang</translation>
    </message>
    <message>
        <source>A whole page in the window</source>
        <translation>Cả trang trong cửa sổ</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Trang</translation>
    </message>
    <message>
        <source>of {n}</source>
        <translation>/ {n}</translation>
    </message>
</context>
<context>
    <name>PdfViewerDialog</name>
    <message>
        <source>View — {name}</source>
        <translation>Xem — {name}</translation>
    </message>
    <message>
        <source>View digitised paper</source>
        <translation>Xem giấy tờ đã số hóa</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Đang mở…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>This file cannot be shown: it is not a readable PDF.</source>
        <translation>Không hiển thị được tệp này: tệp không phải PDF đọc được.</translation>
    </message>
</context>
<context>
    <name>PeriodChooser</name>
    <message>
        <source>Month</source>
        <extracomment>A page of ids behind a figure: ``fetch(session, after) -&gt; (ids, next_after or None)``.</extracomment>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Quý</translation>
    </message>
    <message>
        <source>Six months</source>
        <translation>6 tháng</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Tùy chọn ngày</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Kỳ báo cáo:</translation>
    </message>
    <message>
        <source>Month {n}</source>
        <translation>Tháng {n}</translation>
    </message>
    <message>
        <source>Quarter {n}</source>
        <translation>Quý {n}</translation>
    </message>
    <message>
        <source>First half</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <source>Second half</source>
        <translation>6 tháng cuối năm</translation>
    </message>
</context>
<context>
    <name>PersonFields</name>
    <message>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <source>12 digits, or scan the ID card</source>
        <translation>12 chữ số, hoặc quét mã QR trên thẻ căn cước</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Old ID (9 digits)</source>
        <translation>Số CMND cũ (9 số)</translation>
    </message>
    <message>
        <source>Impossible date &quot;{text}&quot;: write it as dd/mm/yyyy, e.g. 17/05/1990.</source>
        <translation>Ngày &quot;{text}&quot; không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 17/05/1990.</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print (Ctrl+P)</source>
        <translation>In (Ctrl+P)</translation>
    </message>
    <message>
        <source>Export PDF… (Ctrl+E)</source>
        <translation>Xuất PDF… (Ctrl+E)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Đóng (Esc)</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Đã gửi tới máy in.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Xuất PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write the PDF: {error}</source>
        <translation>Không ghi được tệp PDF: {error}</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>Đã lưu: {path}</translation>
    </message>
    <message>
        <source>Refusal slip — {code}</source>
        <translation>Phiếu từ chối tiếp nhận — {code}</translation>
    </message>
    <message>
        <source>Receipt and appointment — {code}</source>
        <translation>Giấy tiếp nhận và hẹn trả kết quả — {code}</translation>
    </message>
    <message>
        <source>This dossier has no apology approved by a leader.</source>
        <translation>Hồ sơ này chưa có phiếu xin lỗi được lãnh đạo duyệt.</translation>
    </message>
    <message>
        <source>Apology and new appointment — {code}</source>
        <translation>Phiếu xin lỗi và hẹn lại ngày trả kết quả — {code}</translation>
    </message>
    <message>
        <source>Control slip — {code}</source>
        <translation>Phiếu kiểm soát quá trình giải quyết hồ sơ — {code}</translation>
    </message>
</context>
<context>
    <name>ProcedurePicker</name>
    <message>
        <source>Type part of the procedure&apos;s name or code…</source>
        <translation>Gõ một phần tên hoặc mã thủ tục (không cần dấu)…</translation>
    </message>
    <message>
        <source>No procedure chosen yet.</source>
        <translation>Chưa chọn thủ tục.</translation>
    </message>
</context>
<context>
    <name>ProcedureTimeDialog</name>
    <message>
        <source>Processing time — {code}</source>
        <translation>Thời hạn giải quyết — {code}</translation>
    </message>
    <message>
        <source>Time (in person, by post)</source>
        <translation>Thời hạn (trực tiếp, bưu chính)</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Different time for online dossiers</source>
        <translation>Hồ sơ trực tuyến có thời hạn khác</translation>
    </message>
    <message>
        <source>Time (online)</source>
        <translation>Thời hạn (trực tuyến)</translation>
    </message>
    <message>
        <source>Unit (online)</source>
        <translation>Đơn vị (trực tuyến)</translation>
    </message>
    <message>
        <source>Cut-off hour</source>
        <translation>Giờ chốt nhận hồ sơ</translation>
    </message>
    <message>
        <source>Requests received after this hour are counted from the next working day.</source>
        <translation>Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo.</translation>
    </message>
</context>
<context>
    <name>ProcessingActions</name>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Hand over for processing</source>
        <translation>Chuyển xử lý</translation>
    </message>
    <message>
        <source>Specialist</source>
        <translation>Chuyên viên xử lý</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Request a supplement</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Missing papers (one per line)</source>
        <translation>Giấy tờ còn thiếu (mỗi dòng một loại)</translation>
    </message>
    <message>
        <source>Supplement received</source>
        <translation>Đã nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Financial obligation</source>
        <translation>Yêu cầu thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Amount (VND)</source>
        <translation>Số tiền (đồng)</translation>
    </message>
    <message>
        <source>What for</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation>Đã thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Paid online</source>
        <translation>Thanh toán trực tuyến</translation>
    </message>
    <message>
        <source>Withdrawn at the applicant&apos;s request</source>
        <translation>Công dân yêu cầu rút hồ sơ</translation>
    </message>
    <message>
        <source>Stop processing</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Resume processing</source>
        <translation>Tiếp tục xử lý</translation>
    </message>
    <message>
        <source>Processing finished</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <source>Result documents (one per line)</source>
        <translation>Giấy tờ kết quả (mỗi dòng một loại)</translation>
    </message>
    <message>
        <source>Return the result</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>Người nhận kết quả</translation>
    </message>
    <message>
        <source>Their ID number</source>
        <translation>Số định danh người nhận</translation>
    </message>
    <message>
        <source>Sent by post</source>
        <translation>Gửi qua bưu chính</translation>
    </message>
    <message>
        <source>Late: propose an apology and a new date</source>
        <translation>Trễ hạn: đề xuất phiếu xin lỗi và hẹn lại ngày trả</translation>
    </message>
    <message>
        <source>New appointment</source>
        <translation>Ngày hẹn mới</translation>
    </message>
    <message>
        <source>Approve the apology and the new date</source>
        <translation>Duyệt phiếu xin lỗi và ngày hẹn mới</translation>
    </message>
    <message>
        <source>Reject the apology</source>
        <translation>Không duyệt phiếu xin lỗi</translation>
    </message>
    <message>
        <source>Mark as containing state secrets</source>
        <translation>Đánh dấu hồ sơ có nội dung bí mật nhà nước</translation>
    </message>
    <message>
        <source>Under the Law on Protection of State Secrets, a dossier containing state secrets must not travel over the network or be copied into electronic systems. Once marked, this dossier is never sent to the provincial system (its changes not yet sent are withdrawn now) and its papers are never scanned or digitised; it is kept and processed on paper at this office only. The marking cannot be undone.</source>
        <translation>Theo Luật Bảo vệ bí mật nhà nước, hồ sơ có nội dung bí mật nhà nước không được truyền qua mạng hay sao chép vào hệ thống điện tử. Sau khi đánh dấu, hồ sơ này không bao giờ được gửi lên hệ thống của tỉnh (các thay đổi chưa gửi sẽ được rút lại ngay) và giấy tờ không bao giờ được quét hay số hóa; hồ sơ chỉ được lưu và xử lý trên giấy tại cơ quan. Không thể bỏ đánh dấu.</translation>
    </message>
    <message>
        <source>There is no apology waiting for approval.</source>
        <translation>Không có phiếu xin lỗi nào đang chờ duyệt.</translation>
    </message>
</context>
<context>
    <name>ProcessingPage</name>
    <message>
        <source>My work</source>
        <translation>Việc của tôi</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>Làm mới (F5)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn trả</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>Việc cần làm</translation>
    </message>
    <message>
        <source>Actions:</source>
        <translation>Thao tác:</translation>
    </message>
    <message>
        <source>The work list could not be read: {error}</source>
        <translation>Không đọc được danh sách việc: {error}</translation>
    </message>
    <message>
        <source>{n} dossiers wait for you, {m} of them overdue</source>
        <translation>{n} hồ sơ đang chờ bạn, {m} hồ sơ quá hạn</translation>
    </message>
    <message>
        <source>Print apology slip</source>
        <translation>In phiếu xin lỗi</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>Thao tác khác</translation>
    </message>
    <message>
        <source>Supplement request — {code}</source>
        <translation>Phiếu yêu cầu bổ sung hồ sơ — {code}</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>e.g. The request is not within the commune&apos;s authority</source>
        <translation>ví dụ: Yêu cầu không thuộc thẩm quyền giải quyết của UBND xã</translation>
    </message>
    <message>
        <source>Refuse and print slip</source>
        <translation>Từ chối và in phiếu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Write the reason in full (at least {n} characters): the citizen has the right to know why.</source>
        <translation>Hãy ghi đầy đủ lý do (ít nhất {n} ký tự): người dân có quyền được biết vì sao.</translation>
    </message>
</context>
<context>
    <name>ReceptionFormWidget</name>
    <message>
        <source>Show…</source>
        <translation>Xem…</translation>
    </message>
    <message>
        <source>The citizen&apos;s digitised papers from earlier dossiers</source>
        <translation>Giấy tờ đã số hóa của công dân từ các hồ sơ trước</translation>
    </message>
    <message>
        <source>1. Procedure</source>
        <translation>1. Thủ tục hành chính</translation>
    </message>
    <message>
        <source>2. Applicant — scan the ID card or type</source>
        <translation>2. Chủ hồ sơ — quét thẻ căn cước hoặc nhập tay</translation>
    </message>
    <message>
        <source>Submitted by someone else (authorised person)</source>
        <translation>Người nộp khác chủ hồ sơ (người được ủy quyền)</translation>
    </message>
    <message>
        <source>3. Papers submitted</source>
        <translation>3. Thành phần hồ sơ</translation>
    </message>
    <message>
        <source>Space: submitted / missing · N: not needed · digits: number of copies</source>
        <translation>Phím cách: đã nộp / còn thiếu · N: không cần · gõ số: số bản</translation>
    </message>
    <message>
        <source>4. Details</source>
        <translation>4. Thông tin khác</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Trực tiếp</translation>
    </message>
    <message>
        <source>By post</source>
        <translation>Bưu chính công ích</translation>
    </message>
    <message>
        <source>Summary of the request (optional)</source>
        <translation>Trích yếu nội dung yêu cầu (không bắt buộc)</translation>
    </message>
    <message>
        <source>Return the result by post</source>
        <translation>Trả kết quả qua bưu chính</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <source>Sets</source>
        <translation>Số bộ</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>Lệ phí</translation>
    </message>
    <message>
        <source>Choose a procedure to see the due date.</source>
        <translation>Chọn thủ tục để xem ngày hẹn trả.</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Ngày hẹn trả kết quả</translation>
    </message>
    <message>
        <source>Receive and print receipt (Ctrl+S)</source>
        <translation>Tiếp nhận và in giấy biên nhận (Ctrl+S)</translation>
    </message>
    <message>
        <source>Incomplete: print guidance (Ctrl+G)</source>
        <translation>Chưa đủ: in hướng dẫn bổ sung (Ctrl+G)</translation>
    </message>
    <message>
        <source>Refuse… (Ctrl+R)</source>
        <translation>Từ chối… (Ctrl+R)</translation>
    </message>
    <message>
        <source>New dossier (Ctrl+N)</source>
        <translation>Hồ sơ mới (Ctrl+N)</translation>
    </message>
    <message>
        <source>{amount} VND</source>
        <translation>{amount} đồng</translation>
    </message>
    <message>
        <source>Free of charge</source>
        <translation>Không thu phí</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Thứ Hai</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Thứ Ba</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Thứ Tư</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Thứ Năm</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Thứ Sáu</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Thứ Bảy</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Chủ nhật</translation>
    </message>
    <message>
        <source>&lt;b&gt;The ID card scan was not accepted.&lt;/b&gt; {reason}&lt;br&gt;Read: &lt;tt&gt;{raw}&lt;/tt&gt;&lt;br&gt;Nothing was changed; scan again or type the details.</source>
        <translation>&lt;b&gt;Không nhận được mã QR thẻ căn cước.&lt;/b&gt; {reason}&lt;br&gt;Đã đọc: &lt;tt&gt;{raw}&lt;/tt&gt;&lt;br&gt;Không có gì bị thay đổi; hãy quét lại hoặc nhập tay.</translation>
    </message>
    <message>
        <source>The citizen has {n} digitised papers that can be reused: after receiving, attach them without scanning.</source>
        <translation>Công dân có {n} giấy tờ đã số hóa có thể dùng lại: sau khi tiếp nhận, gắn vào hồ sơ mà không cần quét.</translation>
    </message>
    <message>
        <source>Received: {code}</source>
        <translation>Đã tiếp nhận: {code}</translation>
    </message>
    <message>
        <source>Kept as a draft.</source>
        <translation>Đã lưu thành bản nháp.</translation>
    </message>
    <message>
        <source>Refused: {code}</source>
        <translation>Đã từ chối: {code}</translation>
    </message>
    <message>
        <source>Draft saved {time}</source>
        <translation>Đã lưu nháp lúc {time}</translation>
    </message>
</context>
<context>
    <name>ReceptionPage</name>
    <message>
        <source>Reception</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>New dossier</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Online, waiting</source>
        <translation>Trực tuyến chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <source>Online, waiting ({n})</source>
        <translation>Trực tuyến chờ tiếp nhận ({n})</translation>
    </message>
    <message>
        <source>Drafts ({n})</source>
        <translation>Bản nháp ({n})</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>Gắn…</translation>
    </message>
    <message>
        <source>Attach the citizen&apos;s digitised papers to the dossier just received, without scanning them again</source>
        <translation>Gắn các giấy tờ đã số hóa của công dân vào hồ sơ vừa tiếp nhận, không cần quét lại</translation>
    </message>
    <message>
        <source>Hide this notice</source>
        <translation>Ẩn thông báo này</translation>
    </message>
    <message>
        <source>Dossier {code} received. The citizen has {n} digitised papers that can be reused for it.</source>
        <translation>Đã tiếp nhận hồ sơ {code}. Công dân có {n} giấy tờ đã số hóa có thể dùng lại cho hồ sơ này.</translation>
    </message>
    <message>
        <source>Refuse the dossier</source>
        <translation>Từ chối tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <source>State the reason for refusing; it is printed on the refusal slip (Mẫu 03) handed to the citizen.</source>
        <translation>Ghi rõ lý do từ chối; lý do được in trên phiếu từ chối (Mẫu 03) giao cho người dân.</translation>
    </message>
    <message>
        <source>Refuse the online dossier</source>
        <translation>Từ chối hồ sơ trực tuyến</translation>
    </message>
    <message>
        <source>State the reason for refusing; the citizen will see it on the portal.</source>
        <translation>Ghi rõ lý do từ chối; người dân sẽ thấy lý do này trên cổng dịch vụ công.</translation>
    </message>
    <message>
        <source>Supplement guidance</source>
        <translation>Phiếu hướng dẫn bổ sung hồ sơ</translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <source>View</source>
        <translation>Xem</translation>
    </message>
    <message>
        <source>Go to Processing, where your dossiers are listed with the most urgent first</source>
        <translation>Mở Xử lý, nơi hồ sơ của anh/chị được xếp theo mức khẩn cấp</translation>
    </message>
    <message>
        <source>Hide this reminder until something changes</source>
        <translation>Ẩn nhắc nhở này cho đến khi có thay đổi</translation>
    </message>
    <message>
        <source>Most urgent: {dossier}</source>
        <translation>Khẩn nhất: {dossier}</translation>
    </message>
</context>
<context>
    <name>ReminderPreferencesDialog</name>
    <message>
        <source>Reminders</source>
        <translation>Nhắc việc</translation>
    </message>
    <message>
        <source>A banner at the top of the window reminds you of the dossiers in your work queue: red when some are overdue, amber when some are due soon.</source>
        <translation>Một dải thông báo ở đầu cửa sổ nhắc anh/chị các hồ sơ trong việc của mình: màu đỏ khi có hồ sơ quá hạn, màu vàng khi có hồ sơ sắp đến hạn.</translation>
    </message>
    <message>
        <source>Remind me of overdue and nearly due dossiers</source>
        <translation>Nhắc tôi các hồ sơ quá hạn và sắp đến hạn</translation>
    </message>
    <message>
        <source>Due soon means within</source>
        <translation>Sắp đến hạn là trong vòng</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> ngày làm việc</translation>
    </message>
    <message>
        <source>Also show a notification on the desktop</source>
        <translation>Hiện cả thông báo trên màn hình</translation>
    </message>
    <message>
        <source>This computer has no notification area: only the banner is shown.</source>
        <translation>Máy này không có khu vực thông báo: chỉ hiện dải thông báo trong cửa sổ.</translation>
    </message>
    <message>
        <source>Check again every</source>
        <translation>Kiểm tra lại sau mỗi</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> phút</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message>
        <source>Overdue dossiers</source>
        <translation>Hồ sơ quá hạn</translation>
    </message>
    <message>
        <source>Dossiers due soon</source>
        <translation>Hồ sơ sắp đến hạn</translation>
    </message>
    <message>
        <source>Một Cửa — reminders</source>
        <translation>Một Cửa — nhắc việc</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <extracomment>A report was shown (computed or reopened): the result.</extracomment>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Make report</source>
        <translation>Lập báo cáo</translation>
    </message>
    <message>
        <source>Report:</source>
        <translation>Báo cáo:</translation>
    </message>
    <message>
        <source>Choose a report and a period, then press “Make report”.</source>
        <translation>Chọn báo cáo và kỳ báo cáo, rồi bấm “Lập báo cáo”.</translation>
    </message>
    <message>
        <source>Print / preview…</source>
        <translation>In / xem trước…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>Xuất PDF…</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <source>Save and send to the province</source>
        <translation>Lưu và gửi lên tỉnh</translation>
    </message>
    <message>
        <source>Only leaders and administrators save reports and send them to the province.</source>
        <translation>Chỉ lãnh đạo và quản trị viên mới lưu báo cáo và gửi lên tỉnh.</translation>
    </message>
    <message>
        <source>Saved reports</source>
        <translation>Báo cáo đã lưu</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>Thời điểm lập</translation>
    </message>
    <message>
        <source>Made by</source>
        <translation>Người lập</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Making the report…</source>
        <translation>Đang lập báo cáo…</translation>
    </message>
    <message>
        <source>Saved report, read-only: made at {made_at} by {made_by}. Numbers as they were then; open dossiers from a report made now.</source>
        <translation>Báo cáo đã lưu, chỉ xem: lập lúc {made_at} bởi {made_by}. Số liệu như tại thời điểm đó; để mở các hồ sơ, hãy lập báo cáo mới.</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source> (not printed)</source>
        <translation> (không in)</translation>
    </message>
    <message>
        <source>Balance checks that fail:</source>
        <translation>Các kiểm tra cân đối không khớp:</translation>
    </message>
    <message>
        <source>All balance checks hold ({n}).</source>
        <translation>Mọi kiểm tra cân đối đều khớp ({n}).</translation>
    </message>
    <message>
        <source>This report is already saved.</source>
        <translation>Báo cáo này đã được lưu.</translation>
    </message>
    <message>
        <source>A saved report keeps its numbers; make the report now to open its dossiers.</source>
        <translation>Báo cáo đã lưu giữ nguyên số liệu; hãy lập báo cáo mới để mở các hồ sơ.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Xuất PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Could not write the file: {error}</source>
        <translation>Không ghi được tệp: {error}</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>Đã lưu: {path}</translation>
    </message>
    <message>
        <source>Export XLSX</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing the spreadsheet…</source>
        <translation>Đang ghi bảng tính…</translation>
    </message>
    <message>
        <source>Saved at {made_at}. It will be sent to the province at the next sync.</source>
        <translation>Đã lưu lúc {made_at}. Báo cáo sẽ được gửi lên tỉnh ở lần đồng bộ tiếp theo.</translation>
    </message>
</context>
<context>
    <name>ReuseDialog</name>
    <message>
        <source>Reuse digitised papers</source>
        <translation>Dùng lại giấy tờ đã số hóa</translation>
    </message>
    <message>
        <source>Papers this citizen already had digitised</source>
        <translation>Giấy tờ của công dân đã được số hóa</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>From dossier</source>
        <translation>Từ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Digitised</source>
        <translation>Ngày số hóa</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Hiệu lực</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Reused as</source>
        <translation>Dùng lại dạng</translation>
    </message>
    <message>
        <source>Use for the paper</source>
        <translation>Dùng cho thành phần</translation>
    </message>
    <message>
        <source>Reuse</source>
        <translation>Dùng lại</translation>
    </message>
    <message>
        <source>Attach the selected digitised paper to the chosen paper of this dossier, without scanning it again</source>
        <translation>Gắn giấy tờ đã số hóa được chọn vào thành phần đã chọn của hồ sơ này, không cần quét lại</translation>
    </message>
    <message>
        <source>Reuse matching papers</source>
        <translation>Dùng lại các giấy tờ trùng tên</translation>
    </message>
    <message>
        <source>Attach every digitised paper whose name is the same as a paper of this dossier not yet digitised</source>
        <translation>Gắn mọi giấy tờ đã số hóa trùng tên với thành phần chưa số hóa của hồ sơ này</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Receive the dossier first: right after the receipt, “Attach…” in the notice attaches these papers; they can also be attached later from the dossier&apos;s papers.</source>
        <translation>Hãy tiếp nhận hồ sơ trước: ngay sau khi in giấy tiếp nhận, nút “Gắn…” trong thông báo sẽ gắn các giấy tờ này; cũng có thể gắn sau từ thành phần hồ sơ.</translation>
    </message>
    <message>
        <source>ID number {id} · {n} papers digitised and still valid</source>
        <translation>Số định danh {id} · {n} giấy tờ đã số hóa còn hiệu lực</translation>
    </message>
    <message>
        <source>This citizen has no digitised papers from earlier dossiers that are still valid.</source>
        <translation>Công dân chưa có giấy tờ đã số hóa còn hiệu lực từ các hồ sơ trước.</translation>
    </message>
    <message>
        <source>result</source>
        <translation>kết quả</translation>
    </message>
    <message>
        <source>Reuse matching papers ({n})</source>
        <translation>Dùng lại các giấy tờ trùng tên ({n})</translation>
    </message>
    <message>
        <source>Attaching…</source>
        <translation>Đang gắn…</translation>
    </message>
    <message>
        <source>{n} papers reused without scanning.</source>
        <translation>Đã dùng lại {n} giấy tờ, không cần quét.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Set up Một Cửa</source>
        <translation>Thiết lập Một Cửa</translation>
    </message>
    <message>
        <source>Welcome to Một Cửa</source>
        <translation>Chào mừng đến với Một Cửa</translation>
    </message>
    <message>
        <source>This data folder has no office yet. Set up your office, or open a demo office with real procedures and sample dossiers to explore the software.</source>
        <translation>Thư mục dữ liệu này chưa có văn phòng nào. Hãy thiết lập văn phòng của cơ quan, hoặc mở văn phòng mẫu có thủ tục thật và hồ sơ mẫu để làm quen với phần mềm.</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>Thư mục dữ liệu: {path}</translation>
    </message>
    <message>
        <source>Set up a new office</source>
        <translation>Thiết lập văn phòng mới</translation>
    </message>
    <message>
        <source>Open the demo office</source>
        <translation>Mở văn phòng mẫu</translation>
    </message>
    <message>
        <source>Office and first administrator</source>
        <translation>Cơ quan và quản trị viên đầu tiên</translation>
    </message>
    <message>
        <source>Office name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>e.g. UBND xã Tân Phú</source>
        <translation>ví dụ: UBND xã Tân Phú</translation>
    </message>
    <message>
        <source>Agency code</source>
        <translation>Mã định danh cơ quan</translation>
    </message>
    <message>
        <source>Desk number</source>
        <translation>Số quầy</translation>
    </message>
    <message>
        <source>Each reception PC of the office needs its own desk number, so that two desks never issue the same dossier code, even offline.</source>
        <translation>Mỗi máy tiếp nhận của cơ quan cần một số quầy riêng để hai quầy không bao giờ cấp trùng mã hồ sơ, kể cả khi mất mạng.</translation>
    </message>
    <message>
        <source>Place name on printed forms</source>
        <translation>Địa danh in trên phiếu</translation>
    </message>
    <message>
        <source>e.g. Xã Tân Phú</source>
        <translation>ví dụ: Xã Tân Phú</translation>
    </message>
    <message>
        <source>Parent authority</source>
        <translation>Cơ quan cấp trên</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Administrator&apos;s full name</source>
        <translation>Họ tên quản trị viên</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>Chức danh</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Finish setup</source>
        <translation>Hoàn tất thiết lập</translation>
    </message>
    <message>
        <source>Creating the demo office…</source>
        <translation>Đang tạo văn phòng mẫu…</translation>
    </message>
    <message>
        <source>Could not create the demo office</source>
        <translation>Không tạo được văn phòng mẫu</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Phím tắt</translation>
    </message>
    <message>
        <source>Go to {area}</source>
        <translation>Chuyển đến {area}</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>Mọi nơi</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>Danh sách này</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Reception</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Scan the ID card</source>
        <translation>Quét thẻ căn cước</translation>
    </message>
    <message>
        <source>Fills the applicant, wherever the cursor is</source>
        <translation>Điền thông tin chủ hồ sơ, con trỏ ở đâu cũng được</translation>
    </message>
    <message>
        <source>Go to the procedure search</source>
        <translation>Về ô tìm thủ tục</translation>
    </message>
    <message>
        <source>Choose a procedure from the list</source>
        <translation>Chọn thủ tục trong danh sách</translation>
    </message>
    <message>
        <source>Next / previous field</source>
        <translation>Ô tiếp theo / ô trước</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Phím cách</translation>
    </message>
    <message>
        <source>Paper submitted / missing (in the papers table)</source>
        <translation>Giấy tờ đã nộp / còn thiếu (trong bảng thành phần)</translation>
    </message>
    <message>
        <source>Paper not needed (in the papers table)</source>
        <translation>Giấy tờ không cần (trong bảng thành phần)</translation>
    </message>
    <message>
        <source>Receive and print the receipt</source>
        <translation>Tiếp nhận và in giấy biên nhận</translation>
    </message>
    <message>
        <source>Incomplete: print the supplement guidance, keep a draft</source>
        <translation>Hồ sơ chưa đủ: in hướng dẫn bổ sung, giữ bản nháp</translation>
    </message>
    <message>
        <source>Refuse, with a reason</source>
        <translation>Từ chối, có ghi lý do</translation>
    </message>
    <message>
        <source>New dossier</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Receive the selected online dossier</source>
        <translation>Tiếp nhận hồ sơ trực tuyến đang chọn</translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>Xem trước khi in</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Xuất PDF</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Search by code, name, ID number or phone</source>
        <translation>Tìm theo mã hồ sơ, họ tên, số định danh hoặc số điện thoại</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>Xóa ô tìm kiếm</translation>
    </message>
    <message>
        <source>Open the selected dossier</source>
        <translation>Mở hồ sơ đang chọn</translation>
    </message>
</context>
<context>
    <name>StatusButton</name>
    <message>
        <source>All statuses</source>
        <translation>Tất cả trạng thái</translation>
    </message>
    <message>
        <source>Waiting for reception</source>
        <translation>Chờ tiếp nhận</translation>
    </message>
    <message>
        <source>Being resolved (received, processing, supplement, fees)</source>
        <translation>Đang giải quyết (đã tiếp nhận, đang xử lý, bổ sung, nghĩa vụ tài chính)</translation>
    </message>
    <message>
        <source>Resolved, waiting to be returned</source>
        <translation>Đã giải quyết, chờ trả kết quả</translation>
    </message>
    <message>
        <source>Finished (returned, refused, withdrawn)</source>
        <translation>Đã kết thúc (đã trả, từ chối, rút hồ sơ)</translation>
    </message>
    <message>
        <source>{label} (waiting for reception)</source>
        <translation>{label} (chờ tiếp nhận)</translation>
    </message>
    <message>
        <source>Being resolved</source>
        <translation>Đang giải quyết</translation>
    </message>
    <message>
        <source>{n} statuses</source>
        <translation>{n} trạng thái</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync with the province</source>
        <translation>Đồng bộ với hệ thống của tỉnh</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Signed out of sync on this PC. Unsent changes are kept.</source>
        <translation>Đã đăng xuất đồng bộ trên máy này. Các thay đổi chưa gửi vẫn được giữ.</translation>
    </message>
    <message>
        <source>Province account</source>
        <translation>Tài khoản của tỉnh</translation>
    </message>
    <message>
        <source>Only if the province uses its own certificates</source>
        <translation>Chỉ khi tỉnh dùng chứng chỉ riêng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Địa chỉ máy chủ</translation>
    </message>
    <message>
        <source>Province CA bundle</source>
        <translation>Chứng chỉ gốc của tỉnh</translation>
    </message>
    <message>
        <source>The province&apos;s one-stop sync server</source>
        <translation>Máy chủ Một Cửa của tỉnh</translation>
    </message>
    <message>
        <source>A gateway with the national portal&apos;s services (DongBoHoSoMC…)</source>
        <translation>Cổng kết nối theo dịch vụ của Cổng DVC quốc gia (DongBoHoSoMC…)</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <source>Password of your province account</source>
        <translation>Mật khẩu tài khoản của tỉnh</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Sign out of sync</source>
        <translation>Đăng xuất đồng bộ</translation>
    </message>
    <message>
        <source>Forget your province password on this PC. Changes not sent yet are kept.</source>
        <translation>Quên mật khẩu tài khoản tỉnh trên máy này. Các thay đổi chưa gửi vẫn được giữ.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>What sync could not do as this desk wanted. Nothing is dropped: the desk&apos;s changes stay in the list of changes and both versions are kept here.</source>
        <translation>Những gì đồng bộ chưa làm được như quầy này muốn. Không có gì bị bỏ: thay đổi của quầy vẫn ở danh sách thay đổi và cả hai phiên bản được giữ ở đây.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Mark as reviewed</source>
        <translation>Đánh dấu đã xem xét</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Hiện:</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>Chưa gửi</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gửi lỗi</translation>
    </message>
    <message>
        <source>Conflicts and refusals</source>
        <translation>Xung đột và bị từ chối</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>Thời điểm lập</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Số lần gửi</translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation>Thông báo của máy chủ</translation>
    </message>
    <message>
        <source>Conflicts ({n})</source>
        <translation>Xung đột ({n})</translation>
    </message>
    <message>
        <source>Province&apos;s version:</source>
        <translation>Phiên bản của tỉnh:</translation>
    </message>
    <message>
        <source>This desk&apos;s version:</source>
        <translation>Phiên bản của quầy:</translation>
    </message>
    <message>
        <source>Enter the password of your province account.</source>
        <translation>Nhập mật khẩu tài khoản của tỉnh.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>Signed in. Sync runs by itself.</source>
        <translation>Đã đăng nhập. Đồng bộ sẽ tự chạy.</translation>
    </message>
</context>
<context>
    <name>SyncStatusController</name>
    <message>
        <source>Offline · province server not configured · {n} changes waiting</source>
        <extracomment>not_configured | offline | needs_login | syncing | waiting | synced | error The engine&apos;s Vietnamese explanation (tooltip, sync page).</extracomment>
        <translation>Ngoại tuyến · chưa cấu hình máy chủ tỉnh · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>Offline · {n} changes waiting</source>
        <translation>Ngoại tuyến · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>Sign in to the province server to sync · {n} changes waiting</source>
        <translation>Đăng nhập máy chủ tỉnh để đồng bộ · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>Syncing · {n} changes waiting</source>
        <translation>Đang đồng bộ · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>{n} changes waiting to sync</source>
        <translation>{n} thay đổi chờ đồng bộ</translation>
    </message>
    <message>
        <source>Synced at {time}</source>
        <translation>Đã đồng bộ lúc {time}</translation>
    </message>
    <message>
        <source>Sync error · {n} changes waiting</source>
        <translation>Lỗi đồng bộ · {n} thay đổi chờ gửi</translation>
    </message>
    <message>
        <source>{status} · {count} conflicts to review</source>
        <translation>{status} · {count} xung đột cần xem</translation>
    </message>
</context>
<context>
    <name>TrackingBookDialog</name>
    <message>
        <source>Tracking book</source>
        <extracomment>The spreadsheet was written (its path). Something went wrong (the message shown).</extracomment>
        <translation>Sổ theo dõi hồ sơ</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Tháng này</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Tháng trước</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>Quý này</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Tùy chọn ngày</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Received from</source>
        <translation>Tiếp nhận từ ngày</translation>
    </message>
    <message>
        <source>Preview / print…</source>
        <translation>Xem trước / in…</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Đang đếm…</translation>
    </message>
    <message>
        <source>{n} dossiers received in this period</source>
        <translation>{n} hồ sơ tiếp nhận trong kỳ</translation>
    </message>
    <message>
        <source>Could not write the file: {error}</source>
        <translation>Không ghi được tệp: {error}</translation>
    </message>
    <message>
        <source>Tracking book {start} – {end}</source>
        <translation>Sổ theo dõi hồ sơ {start} – {end}</translation>
    </message>
    <message>
        <source>Preparing the book…</source>
        <translation>Đang lập sổ…</translation>
    </message>
    <message>
        <source>Export XLSX</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>Đã lưu: {path}</translation>
    </message>
    <message>
        <source>Writing the spreadsheet…</source>
        <translation>Đang ghi bảng tính…</translation>
    </message>
</context>
</TS>
